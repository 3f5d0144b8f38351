import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { toCsv } from '../server/metrics/csv';
import { csvTables } from '../server/metrics/csv-tables';
import { buildDashboard, dayRange, type Segment } from '../server/metrics/dashboard';
import { openStore } from '../server/store/open';
import type { Store } from '../server/store/types';
import { dbOf, seedConversations, seedCustomers } from '../test/support/history';
import { dropSchema, freshSchema, postgresReachable, TEST_DATABASE_URL } from '../test/support/stores';
import { type HistoryShape, historyChunks, historyCustomers } from './metrics-history';

/**
 * `npm run bench` metrics part: a deterministic 90-day history (100,000 conversations, about a
 * million events) on SQLite and PostgreSQL; the one-time roll-up, the steady-state refresh, the
 * 90-day dashboard (cold and warm), a segment, drill-down pages and CSV exports, with heap and
 * RSS growth while the dashboard is built. Target: ≤ 1 s for the 90-day dashboard.
 */

const END = new Date('2026-03-31T00:00:00.000Z');
const RANGE = { from: '2026-01-01', to: '2026-03-30' };

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const heapMiB = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const rssMiB = () => process.memoryUsage().rss / 2 ** 20;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dashboard = (store: Store, segment: Segment = {}, range = RANGE) =>
  buildDashboard(store, { range, segment, surveys: { csat: true, nps: true }, agentNames: new Map(), articleTitles: new Map() });

async function load(store: Store, shape: HistoryShape): Promise<{ events: number; ms: number }> {
  const t = performance.now();
  await seedCustomers(dbOf(store), historyCustomers(shape));
  for (const chunk of historyChunks(shape)) await seedConversations(dbOf(store), chunk);
  const events = Number((await sql<{ n: number }>`select count(*) as n from events`.execute(dbOf(store))).rows[0]!.n);
  return { events, ms: performance.now() - t };
}

/** 100 new conversations "now" (ten events each): what one refresh folds in steady state. */
async function liveTraffic(store: Store, round: number): Promise<void> {
  const at = new Date().toISOString();
  await seedConversations(
    dbOf(store),
    Array.from({ length: 100 }, (_, i) => ({
      id: `live-${round}-${i}`,
      customer: 'cust-1',
      channel: 'web',
      state: 'bot' as const,
      startedAt: at,
      updatedAt: at,
      events: [{ type: 'conversation_started', at }, ...Array.from({ length: 9 }, (_, k) => ({ type: k % 2 ? 'bot_answered' : 'customer_message', at, data: { ref: { kind: 'article', id: 'a' } } }))],
    })),
  );
}

async function measure(name: string, store: Store, shape: HistoryShape) {
  const loaded = await load(store, shape);
  console.error(`… metrics bench: ${name} loaded ${loaded.events} events in ${(loaded.ms / 1000).toFixed(0)} s`);
  const rollup = await timed(() => store.metrics.refresh());
  await liveTraffic(store, 0);
  const refresh = await timed(() => store.metrics.refresh());

  const heapBefore = heapMiB();
  const rssBefore = rssMiB();
  const cold = await timed(() => dashboard(store));
  const heapAfter = heapMiB();
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) warm.push((await timed(() => dashboard(store))).ms);
  const segment = await timed(() => dashboard(store, { attribute: { key: 'plan', value: 'Business' }, channel: 'web' }));
  const week = await timed(() => dashboard(store, {}, { from: '2026-03-24', to: '2026-03-30' }));
  const q = { ...dayRange(RANGE.from, RANGE.to), segment: {} };
  const page = await timed(() => store.metrics.drillDown(q, 'fcrRepeat', { offset: 0, limit: 50 }));
  const deep = await timed(() => store.metrics.drillDown(q, 'assumed', { offset: 20_000, limit: 50 }));
  const csv = await timed(async () => {
    const m = await dashboard(store);
    const tables = csvTables();
    return toCsv(tables.summary!(m)).length + toCsv(tables.daily!(m)).length;
  });
  const s = cold.value.summary;
  return {
    row: {
      backend: name,
      conversations: s.conversations,
      events: loaded.events,
      'roll-up (once) s': (rollup.ms / 1000).toFixed(1),
      'refresh (+1k events) ms': Math.round(refresh.ms),
      'dashboard 90 d cold ms': Math.round(cold.ms),
      'warm ms': Math.round(median(warm)),
      'segment ms': Math.round(segment.ms),
      '7 days ms': Math.round(week.ms),
      'drill page ms': Math.round(page.ms),
      'page 400 ms': Math.round(deep.ms),
      'CSV ms': Math.round(csv.ms),
      'heap Δ MiB': (heapAfter - heapBefore).toFixed(1),
      'RSS MiB': `${rssBefore.toFixed(0)}→${rssMiB().toFixed(0)}`,
    },
    check: `${name}: self-service ${(s.selfServiceRate! * 100).toFixed(1)} % (confirmed ${s.outcomes.confirmed}, assumed ${s.outcomes.assumed}), FCR ${(s.firstContactResolutionRate! * 100).toFixed(1)} %, CES ${s.ces.average?.toFixed(2)}, NPS ${s.nps.score}, drill ${page.value.total} repeat`,
  };
}

export async function runMetricsBench(options: { conversations?: number } = {}): Promise<void> {
  const shape: HistoryShape = { conversations: options.conversations ?? 100_000, days: 90, end: END, customers: Math.max(50, Math.round((options.conversations ?? 100_000) / 20)) };
  const rows = [];
  const checks: string[] = [];
  const load = { start: loadavg()[0]!.toFixed(1) };
  const dir = mkdtempSync(join(tmpdir(), 'answerdesk-metrics-bench-'));
  try {
    const sqlite = await openStore({ sqlitePath: join(dir, 'bench.sqlite') });
    try {
      const r = await measure('SQLite', sqlite, shape);
      rows.push(r.row);
      checks.push(r.check);
    } finally {
      await sqlite.close();
    }
    if (await postgresReachable()) {
      const schema = freshSchema();
      const pg = await openStore({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema });
      try {
        const r = await measure('PostgreSQL', pg, shape);
        rows.push(r.row);
        checks.push(r.check);
      } finally {
        await pg.close();
        await dropSchema(schema);
      }
    } else {
      console.error(`metrics bench: PostgreSQL not reachable at ${TEST_DATABASE_URL}; its row is missing`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nMetrics: ${shape.conversations.toLocaleString('en')} conversations over ${shape.days} days (deterministic), dashboard = every figure + previous period + daily + tables`);
  // The machine is shared: the load says how much of it the bench had.
  console.log(`load average during the run: ${load.start} → ${loadavg()[0]!.toFixed(1)} (2 cores)`);
  console.table(rows);
  // The same history must give the same numbers on both backends.
  for (const c of checks) console.log(c);
}
