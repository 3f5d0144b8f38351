import type { Kysely, Selectable } from 'kysely';
import type { Conversation } from './types';
import { toConversation } from './rows';
import type { ConversationsTable, Database } from './schema';
import { KyselyLimits, windowStartOf } from './limits';
import { INTAKE, type PgStatements } from './pg-statements';
import { BUSY, type SqliteHotPath } from './sqlite-hot-path';

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
export async function threadIntake(
  db: Kysely<Database>,
  fast: { sqlite?: SqliteHotPath; pg?: PgStatements },
  customerId: string,
  threadKey: string,
  rate: RateHit,
): Promise<{ conversation: Conversation | undefined; hits: number }> {
  if (fast.pg) return hitAndFindThreadPg(db, fast.pg, customerId, threadKey, rate);
  const done = fast.sqlite?.hitAndFindThread(customerId, threadKey, rate) ?? BUSY;
  if (done !== BUSY) return done;
  // The connection is inside a kysely transaction (or no fast path): the same two queries through kysely.
  const hits = await new KyselyLimits(db).hit(rate.key, rate.windowMs);
  return { conversation: await newestInThread(db, customerId, threadKey), hits };
}

/** The newest conversation of a customer's thread (the (customer, thread, generation) index). */
export async function newestInThread(db: Kysely<Database>, customerId: string, threadKey: string): Promise<Conversation | undefined> {
  const row = await db.selectFrom('conversations').selectAll().where('customer_id', '=', customerId).where('thread_key', '=', threadKey).orderBy('generation', 'desc').limit(1).executeTakeFirst();
  return row && toConversation(row);
}

async function hitAndFindThreadPg(
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
