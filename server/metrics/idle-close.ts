import { type Kysely, sql } from 'kysely';
import { AUTO_CLOSED_EVENT, BOT_RECORD_EVENTS } from '../domain/resolution';
import { now } from '../store/rows';
import type { Database } from '../store/schema';

export interface ClosedConversation {
  id: string;
  customerId: string;
  channel: string;
  outcome: 'assumed' | 'abandoned';
}

/**
 * Closes up to `limit` bot conversations idle since before `cutoff`: "assumed" when the bot's
 * last turn was an answer (the customer read it and left), "abandoned" when it was not (the
 * customer left without any answer). A batch is one transaction: an UPDATE … RETURNING that
 * only conversations still with the bot and still idle pass, and their `auto_closed` events —
 * so a conversation is closed exactly once even if two instances (or a stale lease) race
 * (the second UPDATE finds the state changed), and a kill mid-batch leaves nothing half done.
 */
export async function closeIdleBatch(db: Kysely<Database>, cutoff: string, limit: number): Promise<ClosedConversation[]> {
  const botRecords = sql.join(BOT_RECORD_EVENTS.map((t) => sql.lit(t)));
  const { rows } = await sql<{ id: string; customer_id: string; channel: string; last_bot: string | null }>`
    select c.id, c.customer_id, c.channel,
      (select x.type from events x where x.conversation_id = c.id and x.type in (${botRecords}) order by x.id desc limit 1) as last_bot
    from conversations c
    where c.state = 'bot' and c.updated_at < ${cutoff}
    order by c.updated_at, c.id
    limit ${limit}`.execute(db);
  if (rows.length === 0) return [];
  const candidates = new Map(rows.map((r) => [r.id, r]));
  return db.transaction().execute(async (trx) => {
    const t = now();
    // A conversation the customer (or the bot) touched since the SELECT has a newer updated_at: not closed.
    const updated = await trx
      .updateTable('conversations')
      .set({ state: 'resolved', resolved_at: t, updated_at: t })
      .where('id', 'in', [...candidates.keys()])
      .where('state', '=', 'bot')
      .where('updated_at', '<', cutoff)
      .returning('id')
      .execute();
    const closed = updated.map(({ id }) => {
      const r = candidates.get(id)!;
      return { id, customerId: r.customer_id, channel: r.channel, outcome: r.last_bot === 'bot_answered' ? ('assumed' as const) : ('abandoned' as const) };
    });
    if (closed.length > 0) {
      await trx
        .insertInto('events')
        .values(closed.map((c) => ({ type: AUTO_CLOSED_EVENT, conversation_id: c.id, ticket_id: null, channel: c.channel, agent_id: null, data: JSON.stringify({ outcome: c.outcome, by: 'bot' }), created_at: t })))
        .execute();
    }
    return closed;
  });
}
