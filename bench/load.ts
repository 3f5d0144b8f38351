/**
 * Load figures with real server processes on 127.0.0.1 (`server/main.ts`, as `npm start` runs it):
 *
 * - widget throughput and message → bot reply latency with N concurrent conversations
 *   (default 1,000) on one instance (SQLite, and PostgreSQL when reachable) and on two
 *   instances sharing PostgreSQL (visitors split between them);
 * - idle widget WebSockets per GiB: the server's resident memory (/proc/<pid>/status VmRSS)
 *   before and after opening N idle sockets.
 *
 * Every loop is bounded; the bench client runs on the same machine as the servers and the
 * database, so the figures are a floor, not a capacity plan.
 *
 * Run: `node --expose-gc --import tsx bench/load.ts [--conversations 1000] [--messages 5] [--idle 10000] [--parts load,idle]`
 * (also the last part of `npm run bench`; skip it there with --no-load).
 * PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); skipped if unreachable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { percentile } from '../server/metrics/stats';
import { openStore } from '../server/store/open';
import { pool, prepareKnowledgeIndex, QUESTIONS, type ServerProcess, sleep, spawnServer, Visitor } from '../test/scale/cluster';
import { dropSchema, freshSchema, postgresReachable, TEST_DATABASE_URL } from '../test/support/stores';

export interface LoadBenchOptions {
  conversations?: number;
  messages?: number;
  idle?: number;
  parts?: ('load' | 'idle')[];
}

const fmt = (n: number | null, digits = 1) => (n === null ? '-' : n.toFixed(digits));

interface Setup {
  name: string;
  servers: ServerProcess[];
  close(): Promise<void>;
}

async function withSetup<T>(open: () => Promise<Setup>, fn: (setup: Setup) => Promise<T>): Promise<T> {
  const setup = await open();
  try {
    return await fn(setup);
  } finally {
    await setup.close();
  }
}

/** Each conversation asks its questions one after the other: send, wait for the answer, next. */
async function runConversations(setup: Setup, conversations: number, messages: number) {
  const urls = setup.servers.map((s) => s.url);
  const visitors = Array.from({ length: conversations }, (_, i) => new Visitor(() => urls, i % urls.length));
  let t = performance.now();
  await pool(visitors, 50, async (v) => {
    await v.session();
    await v.connect(30_000);
  });
  const connectMs = performance.now() - t;
  t = performance.now();
  await Promise.all(
    visitors.map(async (v, i) => {
      for (let k = 0; k < messages; k++) {
        v.say(QUESTIONS[(i + k) % QUESTIONS.length]!);
        await v.until(() => v.answeredAll, 60_000, 'the bot reply');
      }
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  visitors.forEach((v) => v.close());
  const latencies = visitors.flatMap((v) => v.latencies);
  const errors = visitors.reduce((n, v) => n + v.errors.length, 0);
  return {
    setup: setup.name,
    instances: setup.servers.length,
    conversations,
    'messages answered': latencies.length,
    'connect s': fmt(connectMs / 1000),
    'run s': fmt(seconds),
    'msgs/s': Math.round(latencies.length / seconds),
    'reply p50 ms': fmt(percentile(latencies, 50)),
    'reply p99 ms': fmt(percentile(latencies, 99)),
    errors,
  };
}

/**
 * Open `count` idle sockets and see how the server's memory grows. Sockets share 100 visitor
 * sessions (a socket costs the server the same whoever it belongs to), so the "before" figure
 * is not disturbed by thousands of session requests.
 */
async function idleSockets(setup: Setup, count: number) {
  const server = setup.servers[0]!;
  // Full GCs in the server (V8 gives pages back lazily), then VmRSS (/proc) and the V8 heap.
  const measure = async () => {
    for (let i = 0; i < 3; i++) {
      await sleep(700);
      await server.memory();
    }
    const m = await server.memory();
    return { rss: server.rss() ?? m.rss, heap: m.heapUsed + m.external };
  };
  // Warm up the paths first (JIT, pools), so the delta is sockets rather than first use.
  const warm = Array.from({ length: 50 }, () => new Visitor(() => [server.url]));
  await pool(warm, 25, async (v) => {
    await v.session();
    await v.connect();
  });
  warm.forEach((v) => v.close());
  const sessions = Array.from({ length: 100 }, () => new Visitor(() => [server.url]));
  await pool(sessions, 50, (v) => v.session());
  const visitors = Array.from({ length: count }, (_, i) => {
    const v = new Visitor(() => [server.url]);
    v.token = sessions[i % sessions.length]!.token;
    v.customerId = sessions[i % sessions.length]!.customerId;
    return v;
  });
  const before = await measure();
  // … then the sockets, each through hello/ready.
  await pool(visitors, 100, (v) => v.connect(30_000));
  const after = await measure();
  visitors.forEach((v) => v.close());
  const rssPer = (after.rss - before.rss) / count;
  const heapPer = (after.heap - before.heap) / count;
  // RSS moves in pages and V8 reuses freed ones, so its delta is noisy (even negative) for a
  // few thousand sockets; the estimate takes the larger of the two deltas.
  const estimate = Math.max(rssPer, heapPer);
  return {
    setup: setup.name,
    'idle sockets': count,
    'RSS before MiB': fmt(before.rss / 2 ** 20),
    'RSS after MiB': fmt(after.rss / 2 ** 20),
    'RSS KiB/socket': fmt(rssPer / 1024),
    'heap KiB/socket': fmt(heapPer / 1024),
    'sockets per GiB (est.)': estimate > 0 ? Math.round(2 ** 30 / estimate) : '-',
  };
}

export async function runLoadBench(options: LoadBenchOptions = {}): Promise<void> {
  const conversations = options.conversations ?? 1000;
  const messages = options.messages ?? 5;
  const idle = options.idle ?? 10_000;
  const parts = options.parts ?? ['load', 'idle'];
  const work = mkdtempSync(join(tmpdir(), 'answerdesk-load-'));
  const knowledgeIndex = prepareKnowledgeIndex(work);
  let n = 0;
  const dataDir = () => join(work, `data-${n++}`);

  const sqlite = (): Promise<Setup> =>
    spawnServer({ label: 'sqlite', dataDir: dataDir(), knowledgeIndex, memoryProbe: true }).then((s) => ({ name: 'SQLite', servers: [s], close: async () => void (await s.stop()) }));
  const postgres = async (instances: number): Promise<Setup> => {
    const schema = freshSchema();
    const store = await openStore({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema }); // create + migrate once
    await store.close();
    const servers = await Promise.all(
      Array.from({ length: instances }, (_, i) =>
        spawnServer({ label: `pg-${i}`, dataDir: dataDir(), knowledgeIndex, databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, memoryProbe: true }),
      ),
    );
    return {
      name: `PostgreSQL${instances > 1 ? ' + NOTIFY bus' : ''}`,
      servers,
      async close() {
        await Promise.all(servers.map((s) => s.stop()));
        await dropSchema(schema);
      },
    };
  };

  try {
    const pgOk = await postgresReachable();
    if (!pgOk) console.error(`… PostgreSQL not reachable at ${TEST_DATABASE_URL}: PostgreSQL rows skipped`);

    if (parts.includes('load')) {
      const rows = [];
      console.error(`… load: ${conversations} conversations × ${messages} messages, one SQLite instance`);
      // A light load first: what one visitor waits when the server is not saturated.
      const light = Math.min(10, conversations);
      console.error(`… load: ${light} conversations, one SQLite instance (unsaturated)`);
      rows.push(await withSetup(sqlite, (s) => runConversations(s, light, messages)));
      rows.push(await withSetup(sqlite, (s) => runConversations(s, conversations, messages)));
      if (pgOk) {
        console.error(`… load: one PostgreSQL instance`);
        rows.push(await withSetup(() => postgres(1), (s) => runConversations(s, conversations, messages)));
        console.error(`… load: two PostgreSQL instances`);
        rows.push(await withSetup(() => postgres(2), (s) => runConversations(s, conversations, messages)));
      }
      console.log(
        `\nWidget load: concurrent conversations, ${messages} questions each (send → wait for the bot → next); ` +
          'client, servers and database share this machine. Saturated, reply time ≈ conversations ÷ msgs/s (queueing)',
      );
      console.table(rows);
    }

    if (parts.includes('idle')) {
      const rows = [];
      console.error(`… idle sockets: ${idle} on one SQLite instance`);
      rows.push(await withSetup(sqlite, (s) => idleSockets(s, idle)));
      if (pgOk) {
        console.error(`… idle sockets: ${idle} on one PostgreSQL instance`);
        rows.push(await withSetup(() => postgres(1), (s) => idleSockets(s, idle)));
      }
      console.log('\nIdle widget WebSockets: server memory after full GCs, before and after opening them (VmRSS from /proc; V8 heap + external)');
      console.table(rows);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      conversations: { type: 'string', default: '1000' },
      messages: { type: 'string', default: '5' },
      idle: { type: 'string', default: '10000' },
      parts: { type: 'string', default: 'load,idle' },
    },
  });
  await runLoadBench({
    conversations: Number(values.conversations),
    messages: Number(values.messages),
    idle: Number(values.idle),
    parts: values.parts.split(',') as ('load' | 'idle')[],
  });
}
