import { type Kysely, sql } from 'kysely';
import { now } from './rows';
import type { Database } from './schema';

/** Idempotency keys and rate-limit counters, kept in the database so every instance agrees. */
export interface LimitStore {
  /** Returns true the first time a key is seen. */
  markProcessed(key: string): Promise<boolean>;
  /** Fixed-window counter; returns the count after this hit. */
  hit(key: string, windowMs: number): Promise<number>;
  /** Current count of a fixed window without adding a hit. */
  count(key: string, windowMs: number): Promise<number>;
}

export class KyselyLimits implements LimitStore {
  constructor(private readonly db: Kysely<Database>) {}

  async markProcessed(key: string): Promise<boolean> {
    const row = await this.db
      .insertInto('processed_events')
      .values({ key, created_at: now() })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    return row !== undefined;
  }

  async hit(key: string, windowMs: number): Promise<number> {
    const windowStart = windowStartOf(windowMs);
    const row = await this.db
      .insertInto('rate_limits')
      .values({ key, window_start: windowStart, count: 1 })
      .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ count: sql`rate_limits.count + 1` }))
      .returning('count')
      .executeTakeFirstOrThrow();
    await this.trimNowAndThen(windowMs);
    return Number(row.count);
  }

  /** Old windows are garbage (`trimDue`). */
  async trimNowAndThen(windowMs: number): Promise<void> {
    if (trimDue()) await this.db.deleteFrom('rate_limits').where('window_start', '<', trimBefore(windowMs)).execute();
  }

  async count(key: string, windowMs: number): Promise<number> {
    const windowStart = windowStartOf(windowMs);
    const row = await this.db.selectFrom('rate_limits').select('count').where('key', '=', key).where('window_start', '=', windowStart).executeTakeFirst();
    return row ? Number(row.count) : 0;
  }
}

/** Fixed windows aligned on the epoch, so every instance counts into the same row. */
export const windowStartOf = (windowMs: number): number => Math.floor(Date.now() / windowMs) * windowMs;

/** Trimming old windows on one hit in a hundred keeps the table tiny at the cost of one delete. */
export const trimDue = (): boolean => Math.random() < 0.01;

/** Windows starting before this are over (the current and the previous one are kept). */
export const trimBefore = (windowMs: number): number => windowStartOf(windowMs) - windowMs;
