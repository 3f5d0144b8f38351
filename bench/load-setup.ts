import { rng } from '../bot/nlu/random';
/**
 * Shared by the parts of bench/load.ts: server set-ups (real `server/main.ts` processes on
 * 127.0.0.1), visitors, formatting and a seeded random source.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { percentile } from '../server/metrics/stats';
import { openStore } from '../server/store/open';
import { pool, type ServerProcess, type SpawnOptions, spawnServer } from '../test/scale/cluster';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from '../test/support/stores';
import { BenchVisitor } from './bench-visitor';

export const fmt = (n: number | null, digits = 1) => (n === null ? '-' : n.toFixed(digits));

export interface Setup {
  name: string;
  servers: ServerProcess[];
  close(): Promise<void>;
}

export type SetupKind = 'sqlite' | 'postgres-1' | 'postgres-2';

export interface SetupFactory {
  /** Where this bench keeps its data directories and the knowledge index. */
  work: string;
  knowledgeIndex: string;
  pgOk: boolean;
}

let dirs = 0;

/** A server set-up; `nodeArgs` go to every server process (e.g. --cpu-prof). */
export async function openSetup(kind: SetupKind, f: SetupFactory, extra: Partial<SpawnOptions> = {}): Promise<Setup> {
  const dataDir = () => join(f.work, `data-${dirs++}`);
  if (kind === 'sqlite') {
    const s = await spawnServer({ label: 'sqlite', dataDir: dataDir(), knowledgeIndex: f.knowledgeIndex, memoryProbe: true, ...extra });
    return { name: 'SQLite', servers: [s], close: async () => void (await s.stop()) };
  }
  const instances = kind === 'postgres-2' ? 2 : 1;
  const schema = freshSchema();
  const store = await openStore({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema }); // create + migrate once
  await store.close();
  const servers: ServerProcess[] = [];
  try {
    for (let i = 0; i < instances; i++) {
      servers.push(
        await spawnServer({ label: `pg-${i}`, dataDir: dataDir(), knowledgeIndex: f.knowledgeIndex, databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, memoryProbe: true, ...extra }),
      );
    }
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    await dropSchema(schema);
    throw err;
  }
  return {
    name: 'PostgreSQL',
    servers,
    async close() {
      await Promise.all(servers.map((s) => s.stop()));
      await dropSchema(schema);
    },
  };
}

export async function withSetup<T>(open: () => Promise<Setup>, fn: (setup: Setup) => Promise<T>): Promise<T> {
  const setup = await open();
  try {
    return await fn(setup);
  } finally {
    await setup.close();
  }
}

/** Visitors split evenly between the instances, each with a session and an open socket. */
export async function connectVisitors(setup: Setup, count: number): Promise<{ visitors: BenchVisitor[]; connectMs: number }> {
  const visitors = Array.from({ length: count }, (_, i) => new BenchVisitor(setup.servers[i % setup.servers.length]!.url));
  const t = performance.now();
  await pool(visitors, 50, async (v) => {
    await v.session();
    await v.connect(30_000);
  });
  return { visitors, connectMs: performance.now() - t };
}

/** Wait until every visitor has all its answers, or `timeoutMs` passed; returns how many are still waiting. */
export async function drain(visitors: BenchVisitor[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let waiting = visitors.filter((v) => v.waiting);
  while (waiting.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    waiting = waiting.filter((v) => v.waiting);
  }
  return waiting.length;
}

export function latencyColumns(latencies: number[]) {
  return {
    'p50 ms': fmt(percentile(latencies, 50)),
    'p95 ms': fmt(percentile(latencies, 95)),
    'p99 ms': fmt(percentile(latencies, 99)),
    'max ms': fmt(latencies.length ? Math.max(...latencies) : null),
  };
}

/** A seeded PRNG (the project's one mulberry32), so every run draws the same pauses. */
export const seededRandom = rng;

/** This moment and the load average (1 min), printed with every table so the figures can be judged. */
export function machineNote(): string {
  return `${new Date().toISOString()}, load average (1 min) ${loadavg()[0]!.toFixed(2)}`;
}
