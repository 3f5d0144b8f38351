import { type Kysely, sql } from 'kysely';
import type { DrillFigure } from '../domain/resolution';
import { type DrillPage, drillDown } from '../metrics/drill';
import { type DailyRow, daily, type FigureCounts, figureCounts, ticketTimes } from '../metrics/figures';
import { type ClosedConversation, closeIdleBatch } from '../metrics/idle-close';
import { acquireLease, advanceWatermark, readWatermark, releaseLease } from '../metrics/jobs';
import type { MetricsQuery } from '../metrics/query';
import { jsonText } from '../metrics/dialect-sql';
import { foldFacts } from '../metrics/rollup';
import { agentWork, articleVotes, fallbackTexts } from '../metrics/tables';
import type { Dialect } from './open';
import { now } from './rows';
import type { Database } from './schema';

const ROLLUP_JOB = 'metrics_rollup';
/** Events are folded again this long after their time stamp: a transaction still open then is late. */
const ROLLUP_MARGIN_MS = 5 * 60_000;
const ANALYZE_AFTER_ROWS = 10_000;

/** The metrics area: the per-conversation roll-up, leased jobs, and the dashboard's aggregates (all SQL). */
export interface MetricsStore {
  /** Folds events since the last watermark (minus a margin) into the roll-up; returns rows written. */
  refresh(): Promise<number>;
  /** Folds the whole event log again (after importing a history with past time stamps). */
  rebuild(): Promise<number>;
  /** Closes bot conversations idle since before `cutoff`, at most `limit`; each exactly once. */
  closeIdle(cutoff: Date, limit: number): Promise<ClosedConversation[]>;
  acquireLease(job: string, owner: string, leaseMs: number): Promise<boolean>;
  releaseLease(job: string, owner: string): Promise<void>;
  figures(q: MetricsQuery): Promise<FigureCounts>;
  daily(q: MetricsQuery): Promise<DailyRow[]>;
  ticketTimes(q: MetricsQuery): ReturnType<typeof ticketTimes>;
  agentWork(q: MetricsQuery): ReturnType<typeof agentWork>;
  articleVotes(q: MetricsQuery): ReturnType<typeof articleVotes>;
  fallbackTexts(q: MetricsQuery, limit: number): Promise<string[]>;
  drillDown(q: MetricsQuery, figure: DrillFigure, page: { offset: number; limit: number }): Promise<DrillPage>;
  /** Whether this customer was asked the CSAT or NPS question since `since` (ISO). */
  surveyAskedSince(customerId: string, survey: 'csat' | 'nps', since: string): Promise<boolean>;
  setting(key: string): Promise<string | undefined>;
  saveSetting(key: string, value: string): Promise<void>;
}

/** Key of the PostgreSQL advisory lock that serialises roll-up folds (any fixed number unique to this use). */
const ROLLUP_LOCK = 7_346_017;

export class KyselyMetrics implements MetricsStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Dashboards loaded at once share one fold (and so do not queue up the same work). */
  private folding: Promise<number> | undefined;

  refresh(): Promise<number> {
    this.folding ??= (async () => {
      const watermark = await readWatermark(this.db, ROLLUP_JOB);
      return this.fold(watermark === null ? null : new Date(Date.parse(watermark) - ROLLUP_MARGIN_MS).toISOString());
    })().finally(() => (this.folding = undefined));
    return this.folding;
  }

  rebuild(): Promise<number> {
    return this.fold(null);
  }

  private async fold(since: string | null): Promise<number> {
    const startedAt = now();
    // One fold at a time across instances: two folds updating the same roll-up rows in different
    // orders deadlock on PostgreSQL. The advisory lock is held until the transaction ends.
    const written = await this.db.transaction().execute(async (trx) => {
      if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${ROLLUP_LOCK})`.execute(trx);
      const n = await foldFacts(trx, this.dialect, since);
      await advanceWatermark(trx, ROLLUP_JOB, startedAt);
      return n;
    });
    // After a big fold (the first one over an existing history) PostgreSQL's planner has no
    // idea of the roll-up's size until autovacuum comes by, and picks nested loops; tell it now.
    if (written >= ANALYZE_AFTER_ROWS && this.dialect === 'postgres') await sql`analyze conversation_facts, customers, events`.execute(this.db);
    return written;
  }

  closeIdle(cutoff: Date, limit: number) {
    return closeIdleBatch(this.db, cutoff.toISOString(), limit);
  }
  acquireLease(job: string, owner: string, leaseMs: number) {
    return acquireLease(this.db, job, owner, leaseMs);
  }
  releaseLease(job: string, owner: string) {
    return releaseLease(this.db, job, owner);
  }
  figures(q: MetricsQuery) {
    return figureCounts(this.db, this.dialect, q, now());
  }
  daily(q: MetricsQuery) {
    return daily(this.db, this.dialect, q);
  }
  ticketTimes(q: MetricsQuery) {
    return ticketTimes(this.db, this.dialect, q);
  }
  agentWork(q: MetricsQuery) {
    return agentWork(this.db, this.dialect, q);
  }
  articleVotes(q: MetricsQuery) {
    return articleVotes(this.db, this.dialect, q);
  }
  fallbackTexts(q: MetricsQuery, limit: number) {
    return fallbackTexts(this.db, this.dialect, q, limit);
  }
  drillDown(q: MetricsQuery, figure: DrillFigure, page: { offset: number; limit: number }) {
    return drillDown(this.db, this.dialect, q, figure, page, now());
  }

  async surveyAskedSince(customerId: string, survey: 'csat' | 'nps', since: string): Promise<boolean> {
    const row = await sql<{ one: number }>`
      select 1 as one from conversations c join events e on e.conversation_id = c.id
      where c.customer_id = ${customerId} and e.type = 'survey_asked' and e.created_at >= ${since} and ${jsonText(this.dialect, sql.ref('e.data'), ['survey'])} = ${survey}
      limit 1`.execute(this.db);
    return row.rows.length > 0;
  }

  async setting(key: string): Promise<string | undefined> {
    return (await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }
  async saveSetting(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key, value, updated_at: now() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now() }))
      .execute();
  }
}
