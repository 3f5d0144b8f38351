import { type Kysely, type RawBuilder, sql } from 'kysely';
import { AUTO_CLOSED_EVENT, BOT_RECORD_EVENTS, FCR_WINDOW_DAYS } from '../domain/resolution';
import type { Dialect } from '../store/open';
import type { Database } from '../store/schema';
import { ID_WIDTH, jsonText, msBetween, paddedId, plusDays } from './dialect-sql';

/**
 * The per-conversation roll-up (`conversation_facts`), folded from the event log in SQL: the
 * dashboard then aggregates one row per conversation instead of every event. Folding is
 * idempotent (each touched conversation is recomputed from all its events, one GROUP BY pass)
 * and guarded by the newest event id it saw, so two instances folding at once never put an
 * older picture back. Survey answers and ticket times are copied in; FCR's follow-up flags of
 * the same people's conversations are recomputed after.
 *
 * `since` limits the work to conversations with an event created at or after it; null folds all.
 */
export async function foldFacts(db: Kysely<Database>, dialect: Dialect, since: string | null): Promise<number> {
  const touched = since === null ? undefined : sql`select t.conversation_id from events t where t.created_at >= ${since} and t.conversation_id is not null`;
  const written = await upsertFacts(db, dialect, touched);
  await updateFollowUps(db, touched);
  return written;
}

async function upsertFacts(db: Kysely<Database>, dialect: Dialect, touched: RawBuilder<unknown> | undefined): Promise<number> {
  const data = sql.ref('e.data');
  const id = paddedId(dialect, sql.ref('e.id'));
  const newest = (key: RawBuilder<unknown>) => sql`substr(${key}, ${sql.lit(ID_WIDTH + 1)})`;
  const answer = sql`(${newest(sql.ref('b.answer_key'))})`;
  const kind = jsonText(dialect, answer, ['ref', 'kind']);
  const ref = jsonText(dialect, answer, ['ref', 'id']);
  const botRecords = sql.join(BOT_RECORD_EVENTS.map((t) => sql.lit(t)));
  const result = await sql`
    insert into conversation_facts (conversation_id, customer_id, person_key, channel, started_at, day, outcome, resolved, reopened, answered,
      article_id, intent, topic, agent_id, language, window_end, repeat_followup, switch_followup, ces, csat, nps, human_involved,
      ticket_id, first_response_due_at, first_response_at, first_response_ms, resolution_ms, last_event_id)
    select b.cid, c.customer_id, coalesce(lower(cu.email), c.customer_id), c.channel, b.started_at, substr(b.started_at, 1, 10),
      case when b.escalated = 1 then 'escalated'
           when b.bot_resolved = 1 then 'confirmed'
           when b.auto_outcome is not null then b.auto_outcome
           else 'open' end,
      case when b.escalated = 0 and (b.bot_resolved = 1 or b.auto_outcome = 'assumed') then 1
           when b.escalated = 1 and c.state = 'resolved' then 1
           else 0 end,
      b.reopened, b.answered,
      case when ${kind} = 'article' then ${ref} end,
      case when ${kind} = 'intent' then ${ref} end,
      ${kind} || ':' || ${ref},
      ${newest(sql.ref('b.agent_key'))},
      coalesce(b.language, 'en'),
      ${plusDays(dialect, sql.ref('b.started_at'), FCR_WINDOW_DAYS)}, 0, 0,
      s.score, s.csat, n.score, case when s.human_involved = 1 or t.id is not null then 1 else 0 end,
      t.id, t.first_response_due_at, t.first_response_at,
      cast(round(${msBetween(dialect, sql.ref('t.created_at'), sql.ref('t.first_response_at'))}) as bigint),
      cast(round(${msBetween(dialect, sql.ref('t.created_at'), sql.ref('t.resolved_at'))}) as bigint),
      b.last_id
    from (
      select e.conversation_id as cid,
        min(case when e.type = 'conversation_started' then e.created_at end) as started_at,
        max(case when e.type = 'escalated' then 1 else 0 end) as escalated,
        max(case when e.type = 'resolved' and ${jsonText(dialect, data, ['by'])} = 'bot' then 1 else 0 end) as bot_resolved,
        max(case when e.type = ${AUTO_CLOSED_EVENT} then ${jsonText(dialect, data, ['outcome'])} end) as auto_outcome,
        max(case when e.type = 'reopened' then 1 else 0 end) as reopened,
        max(case when e.type = 'bot_answered' then 1 else 0 end) as answered,
        max(case when e.type in (${botRecords}) then ${jsonText(dialect, data, ['language'])} end) as language,
        max(case when e.type = 'bot_answered' then ${id} || e.data end) as answer_key,
        max(case when e.type = 'assigned' then ${id} || e.agent_id end) as agent_key,
        max(e.id) as last_id
      from events e
      where e.conversation_id is not null ${touched ? sql`and e.conversation_id in (${touched})` : sql``}
      group by e.conversation_id
    ) b
    join conversations c on c.id = b.cid
    left join customers cu on cu.id = c.customer_id
    left join surveys s on s.conversation_id = b.cid and s.kind = 'ces'
    left join surveys n on n.conversation_id = b.cid and n.kind = 'nps'
    left join tickets t on t.conversation_id = b.cid
    where b.started_at is not null
    on conflict (conversation_id) do update set
      customer_id = excluded.customer_id, person_key = excluded.person_key, channel = excluded.channel,
      started_at = excluded.started_at, day = excluded.day, outcome = excluded.outcome, resolved = excluded.resolved,
      reopened = excluded.reopened, answered = excluded.answered, article_id = excluded.article_id, intent = excluded.intent,
      topic = excluded.topic, agent_id = excluded.agent_id, language = excluded.language, window_end = excluded.window_end,
      ces = excluded.ces, csat = excluded.csat, nps = excluded.nps, human_involved = excluded.human_involved,
      ticket_id = excluded.ticket_id, first_response_due_at = excluded.first_response_due_at, first_response_at = excluded.first_response_at,
      first_response_ms = excluded.first_response_ms, resolution_ms = excluded.resolution_ms, last_event_id = excluded.last_event_id
    where excluded.last_event_id >= conversation_facts.last_event_id`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * FCR's follow-up flags: a later conversation of the same person within the window, on the
 * same topic in the same channel (a repeat) or in another channel (a switch). A conversation
 * folded now can change the flags of that person's earlier ones, so those are recomputed.
 */
async function updateFollowUps(db: Kysely<Database>, touched: RawBuilder<unknown> | undefined): Promise<void> {
  const later = (same: boolean) => sql`case when exists (select 1 from conversation_facts g
      where g.person_key = conversation_facts.person_key and g.started_at > conversation_facts.started_at
        and g.started_at <= conversation_facts.window_end and g.conversation_id <> conversation_facts.conversation_id
        and ${same ? sql`g.channel = conversation_facts.channel and (g.topic is null or conversation_facts.topic is null or g.topic = conversation_facts.topic)` : sql`g.channel <> conversation_facts.channel`}
    ) then 1 else 0 end`;
  const people = touched ? sql`where person_key in (select p.person_key from conversation_facts p where p.conversation_id in (${touched}))` : sql``;
  await sql`update conversation_facts set repeat_followup = ${later(true)}, switch_followup = ${later(false)} ${people}`.execute(db);
}
