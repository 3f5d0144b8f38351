import type pg from 'pg';

/**
 * The per-message statements on PostgreSQL, sent as named prepared statements straight to the
 * pool: each connection parses and plans them once instead of once per message (they are
 * CTE chains that cost PostgreSQL more to plan than to run), and they skip kysely's query
 * building. The SQL is the whole contract; `thread-intake.ts` and `bot-turn-write.ts` say why
 * it is shaped so.
 *
 * Their result columns are named, never `*`: a prepared statement whose result shape changes
 * (a migration adding a column while an older instance still runs) fails with "cached plan
 * must not change result type"; named columns keep older instances working.
 */
export class PgStatements {
  /** `record` sees every statement, so round-trip counts through kysely's log hook stay whole. */
  constructor(
    private readonly pool: pg.Pool,
    private readonly record?: (statement: string) => void,
  ) {}

  async rows<R extends pg.QueryResultRow>(statement: { name: string; text: string }, values: unknown[]): Promise<R[]> {
    this.record?.(statement.text);
    return (await this.pool.query<R>({ name: statement.name, text: statement.text, values })).rows;
  }
}

/** The CTE `hit`: one hit on a rate-limit counter (parameters: the key, the window start), returning its count. */
const rateHit = (key: string, windowStart: string) => `hit as (
      insert into rate_limits (key, window_start, count) values (${key}::text, ${windowStart}, 1)
      on conflict (key, window_start) do update set count = rate_limits.count + 1
      returning count
    )`;

/**
 * One rate-limit hit ($1 key, $2 window start) and the newest conversation of a thread ($3
 * customer, $4 thread key).
 *
 * Its only write is a rate-limit counter, which is worth no fsync: `set_config(…, true)` turns
 * `synchronous_commit` off for this statement's own transaction (it ends with the statement;
 * the connection keeps the durable default, tested), so the commit does not wait for the WAL
 * flush. A crash of PostgreSQL may forget the last few hits; the database stays consistent.
 * Under saturated load the waits for WAL flushes were where the backends spent their time.
 */
export const INTAKE = {
  name: 'answerdesk_intake_v3',
  text: `with ${rateHit('$1', '$2')}
    select hit.count as hits, set_config('synchronous_commit', 'off', true) as commit_mode, c.* from hit left join lateral (
      select id, customer_id, channel, thread_key, generation, state, bot_state, last_seq, assignee_id, channel_ref, email, created_at, updated_at, resolved_at from conversations where customer_id = $3::text and thread_key = $4::text
      order by generation desc limit 1
    ) c on true`,
};

/**
 * What a bot turn writes once its counter row is updated (`counter`, returning the new
 * last_seq): the messages numbered after it, their outbox rows and the record-only events.
 * Shared by both turn statements so they cannot drift apart.
 */
const TURN_WRITES = `inserted as (
      insert into messages (id, conversation_id, seq, author, author_id, author_name, content, client_id, created_at)
      select m.id, $4::text, counter.last_seq - $2::int + m.ord::int, m.author, null, null, m.content, m.client_id, $3::text
      from counter, unnest($6::text[], $7::text[], $8::text[], $9::text[])
        with ordinality as m(id, author, content, client_id, ord)
      returning id
    ), queued as (
      insert into outbox (channel, conversation_id, message_id, payload, state, attempts, next_attempt_at, created_at)
      select o.channel, $4::text, o.message_id, o.payload, 'pending', 0, o.due, $3::text
      from counter, unnest($10::text[], $11::text[], $12::text[], $13::text[]) as o(channel, message_id, payload, due)
    ), logged as (
      insert into events (type, conversation_id, ticket_id, channel, agent_id, data, created_at)
      select e.type, $4::text, null, $14::text, null, e.data, $3::text
      from counter, unnest($15::text[], $16::text[]) as e(type, data)
    )`;

/** Nothing is written when the question ($5, its client id) is stored already: a resend. */
const NOT_A_RESEND = `($5::text is null or not exists (
          select 1 from messages where conversation_id = $4::text and client_id = $5::text))`;

/**
 * The bot's turn: $1 state, $2 message count, $3 time, $4 conversation, $5 the question's
 * client id; messages $6–$9 (id, author, content, client id); outbox $10–$13 (channel,
 * message id, payload, due); $14 channel; events $15–$16 (type, data).
 *
 * It returns only the conversation's new last seq (no row: a resend, or no such conversation):
 * the caller has every other column of the messages it wrote, so they do not travel back.
 */
export const BOT_TURN = {
  name: 'answerdesk_bot_turn_v4',
  text: `with counter as (
      update conversations set bot_state = $1, last_seq = last_seq + $2::int, updated_at = $3::text
      where id = $4::text and ${NOT_A_RESEND}
      returning last_seq
    ), ${TURN_WRITES}
    select last_seq from counter`,
};

/**
 * A follow-up's whole intake and turn in one statement, for a conversation this instance has
 * just seen: the rate-limit hit ($17 key, $18 window start), then `BOT_TURN`'s write ($1–$16)
 * only if the hit is within the limit ($19) and the conversation is still the version the
 * turn was planned on ($20 last seq, $21 state, $22 assignee, $23 updated_at — every update
 * of a conversation sets updated_at, and a new generation only follows a resolved one).
 *
 * It returns the hit count and the new last seq (null: nothing written — over the limit, a
 * resend, or the conversation moved on; the caller then takes the two-statement path). The
 * row lock of the update makes a concurrent change wait and then fail the version check.
 * Unlike `INTAKE` it commits durably: the messages are in it.
 */
export const TURN_IF_CURRENT = {
  name: 'answerdesk_turn_if_current_v1',
  text: `with ${rateHit('$17', '$18')}, counter as (
      update conversations set bot_state = $1, last_seq = last_seq + $2::int, updated_at = $3::text
      from hit
      where id = $4::text and hit.count <= $19::int
        and last_seq = $20::int and state = $21::text and assignee_id is not distinct from $22::text and updated_at = $23::text
        and ${NOT_A_RESEND}
      returning last_seq
    ), ${TURN_WRITES}
    select hit.count as hits, (select last_seq from counter) as last_seq from hit`,
};
