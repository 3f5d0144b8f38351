import type { Kysely, Selectable } from 'kysely';
import type { Conversation } from './types';
import { toConversation } from './rows';
import type { ConversationsTable, Database } from './schema';
import { KyselyLimits, windowStartOf } from './limits';
import { INTAKE, type PgStatements } from './pg-statements';

export interface RateHit {
  key: string;
  windowMs: number;
}

/**
 * What the inbound entry needs before it stores a message: one hit on the sender's rate-limit
 * counter and the newest conversation of their thread. On PostgreSQL one statement (the
 * counter's upsert as a CTE beside the indexed thread lookup), so a follow-up message costs
 * one round trip here instead of two (`INTAKE` in `pg-statements.ts`). (SQLite, in-process, runs the
 * two plain queries: `sqlite-hot-path.ts`.)
 */
export async function hitAndFindThreadPg(
  db: Kysely<Database>,
  statements: PgStatements,
  customerId: string,
  threadKey: string,
  rate: RateHit,
): Promise<{ conversation: Conversation | undefined; hits: number }> {
  const rows = await statements.rows<{ hits: number | string } & Partial<Selectable<ConversationsTable>>>(INTAKE, [rate.key, windowStartOf(rate.windowMs), customerId, threadKey]);
  await new KyselyLimits(db).trimNowAndThen(rate.windowMs);
  const row = rows[0];
  if (!row) throw new Error('rate-limit upsert returned no row');
  const { hits, ...conversation } = row;
  return { conversation: conversation.id ? toConversation(conversation as Selectable<ConversationsTable>) : undefined, hits: Number(hits) };
}
