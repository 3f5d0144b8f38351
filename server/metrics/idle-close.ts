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
 * customer left without any answer). Each close is one transaction: a conditional UPDATE that
 * only a conversation still with the bot and still idle passes, and the `auto_closed` event —
 * so a conversation is closed exactly once even if two instances (or a stale lease) race,
 * and a kill between the two statements leaves neither.
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
  const closed: ClosedConversation[] = [];
  for (const r of rows) {
    const outcome = r.last_bot === 'bot_answered' ? 'assumed' : 'abandoned';
    const done = await db.transaction().execute(async (trx) => {
      const t = now();
      const updated = await trx
        .updateTable('conversations')
        .set({ state: 'resolved', resolved_at: t, updated_at: t })
        .where('id', '=', r.id)
        .where('state', '=', 'bot')
        .where('updated_at', '<', cutoff)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return false;
      await trx
        .insertInto('events')
        .values({ type: AUTO_CLOSED_EVENT, conversation_id: r.id, ticket_id: null, channel: r.channel, agent_id: null, data: JSON.stringify({ outcome, by: 'bot' }), created_at: t })
        .execute();
      return true;
    });
    if (done) closed.push({ id: r.id, customerId: r.customer_id, channel: r.channel, outcome });
  }
  return closed;
}
