import { type Kysely, type Selectable, sql } from 'kysely';
import type { Conversation } from './types';
import { toConversation } from './rows';
import type { ConversationsTable, Database } from './schema';
import { KyselyLimits, windowStartOf } from './limits';

export interface RateHit {
  key: string;
  windowMs: number;
}

/**
 * What the inbound entry needs before it stores a message: one hit on the sender's rate-limit
 * counter and the newest conversation of their thread. On PostgreSQL one statement (the
 * counter's upsert as a CTE beside the indexed thread lookup), so a follow-up message costs
 * one round trip here instead of two. (SQLite, in-process, runs the two plain queries.)
 */
export async function hitAndFindThreadPg(
  db: Kysely<Database>,
  customerId: string,
  threadKey: string,
  rate: RateHit,
): Promise<{ conversation: Conversation | undefined; hits: number }> {
  const windowStart = windowStartOf(rate.windowMs);
  const { rows } = await sql<{ hits: number | string } & Partial<Selectable<ConversationsTable>>>`
    with hit as (
      insert into rate_limits (key, window_start, count) values (${rate.key}, ${windowStart}, 1)
      on conflict (key, window_start) do update set count = rate_limits.count + 1
      returning count
    )
    select hit.count as hits, c.* from hit left join lateral (
      select * from conversations where customer_id = ${customerId} and thread_key = ${threadKey}
      order by generation desc limit 1
    ) c on true
  `.execute(db);
  await new KyselyLimits(db).trimNowAndThen(rate.windowMs);
  const row = rows[0];
  if (!row) throw new Error('rate-limit upsert returned no row');
  const { hits, ...conversation } = row;
  return { conversation: conversation.id ? toConversation(conversation as Selectable<ConversationsTable>) : undefined, hits: Number(hits) };
}
