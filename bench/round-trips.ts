/**
 * Database round trips per customer message, in-process: the server of `createAnswerdesk`
 * (as test/support/server.ts starts it) on a store whose every statement is counted
 * (server/store/query-count.ts), with the bus `server/main.ts` would pick (PgBus on
 * PostgreSQL, counted at the pg client). Widget visitors on real WebSockets send one message
 * at a time; a message's count runs from its send until the server has been quiet (no query)
 * for a moment after the answer, so everything it caused is in, and nothing else: sessions
 * and socket set-up happen before counting starts, and the outbox poll is pushed out of the
 * way (OUTBOX_POLL_MS=60000; it is a fixed background cost, not per message).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { readBundle } from '../bot/knowledge-bundle';
import type { ServerFrame } from '../server/channels/web/protocol';
import { createAnswerdesk } from '../server/app';
import { loadConfig } from '../server/config';
import { channelFor, PgBus } from '../server/realtime/pg-bus';
import { countPgClientQueries, openCountingStore, QueryCounter } from '../server/store/query-count';
import { QUESTIONS } from '../test/scale/cluster';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from '../test/support/stores';
import { WidgetClient } from '../test/support/widget-client';
import { fmt } from './load-setup';

export interface TripsOptions {
  messages: number;
  perVisitor: number;
  knowledgeIndex: string;
}

export interface TripsResult {
  row: Record<string, string | number>;
  breakdown: Map<string, number>;
  messages: number;
  /** Statement kinds, in order, of one visitor's first message and of its second. */
  traces: { first: string[]; followUp: string[] };
}

const QUIET_MS = 30;

/** Resolves once `counters` have not moved for QUIET_MS (bounded). */
async function quiet(counters: QueryCounter[], maxMs = 2_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = -1;
  for (;;) {
    const now = counters.reduce((n, c) => n + c.total, 0);
    if (now === last || Date.now() > deadline) return;
    last = now;
    await new Promise((r) => setTimeout(r, QUIET_MS));
  }
}

/** Send a question and wait for the first bot message after it. */
async function ask(client: WidgetClient, text: string): Promise<void> {
  const from = client.frames.length;
  const clientId = client.say(text);
  const ack = await client.waitFor<Extract<ServerFrame, { type: 'ack' }>>((f) => f.type === 'ack' && f.clientId === clientId, 10_000, from);
  await client.waitFor((f) => f.type === 'message' && f.message.author !== 'customer' && f.message.conversationId === ack.conversationId && f.message.seq > ack.seq, 10_000, from);
}

export async function roundTrips(backend: 'sqlite' | 'postgres', options: TripsOptions): Promise<TripsResult> {
  const dir = mkdtempSync(join(tmpdir(), 'answerdesk-trips-'));
  const schema = backend === 'postgres' ? freshSchema() : undefined;
  const counter = new QueryCounter();
  const pgCounter = new QueryCounter();
  const { store } = await openCountingStore(schema ? { databaseUrl: TEST_DATABASE_URL, pgSchema: schema } : { sqlitePath: join(dir, 'trips.sqlite') }, counter);
  const log = pino({ level: 'silent' });
  const undoPg = schema ? countPgClientQueries(pgCounter) : () => undefined;
  // As server/main.ts: PostgreSQL means the LISTEN/NOTIFY bus (its health check pushed out of the window).
  const bus = schema ? await PgBus.start({ connectionString: TEST_DATABASE_URL, channel: channelFor(schema), log, healthCheckMs: 600_000 }) : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dir,
    BUSINESS_HOURS: 'Mon-Sun 00:00-24:00',
    RATE_LIMIT_VISITOR_PER_MINUTE: '100000',
    RATE_LIMIT_IP_PER_MINUTE: '1000000',
    OUTBOX_POLL_MS: '60000',
  });
  const desk = await createAnswerdesk({ config, log, store, bundle: readBundle(options.knowledgeIndex), ...(bus ? { bus } : {}) });
  try {
    const port = await desk.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${port}`;
    const visitors = Array.from({ length: Math.ceil(options.messages / options.perVisitor) }, () => new WidgetClient(url));
    for (const v of visitors) {
      await v.session();
      await v.connect();
    }
    // One message outside the count first (JIT, first-use paths), on a visitor of its own.
    const warm = new WidgetClient(url);
    await warm.session();
    await warm.connect();
    await ask(warm, QUESTIONS[0]!);
    warm.close();
    await quiet([counter, pgCounter]);

    counter.start();
    pgCounter.start();
    const first: number[] = [];
    const later: number[] = [];
    const traces: TripsResult['traces'] = { first: [], followUp: [] };
    let sent = 0;
    for (const [i, v] of visitors.entries()) {
      for (let k = 0; k < options.perVisitor && sent < options.messages; k++, sent++) {
        const before = counter.total;
        const pgBefore = pgCounter.total;
        // The statements of the first visitor's first two messages, in order.
        const traced = i === 0 && k < 2 ? (traces[k === 0 ? 'first' : 'followUp'] = []) : undefined;
        (schema ? pgCounter : counter).trace = traced;
        await ask(v, QUESTIONS[(i * 5 + k) % QUESTIONS.length]!);
        await quiet([counter, pgCounter]);
        (schema ? pgCounter : counter).trace = undefined;
        const n = schema ? pgCounter.total - pgBefore : counter.total - before;
        (k === 0 ? first : later).push(n);
      }
    }
    counter.stop();
    pgCounter.stop();
    // CPU of this process (server and its client) per follow-up message, one at a time: the
    // same client either way, so the backends' difference is the server's (PostgreSQL's own
    // processes are not in it).
    const cpuFrom = process.cpuUsage();
    for (let j = 0; j < sent; j++) await ask(visitors[j % visitors.length]!, QUESTIONS[(j * 3) % QUESTIONS.length]!);
    const cpu = process.cpuUsage(cpuFrom);
    visitors.forEach((v) => v.close());
    const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    const busTrips = schema ? pgCounter.total - counter.total : 0;
    const breakdown = new Map(counter.byKind);
    if (schema) for (const [kind, n] of pgCounter.byKind) if (kind.includes('pg_notify')) breakdown.set(kind, n);
    return {
      messages: sent,
      breakdown,
      traces,
      row: {
        backend: schema ? 'PostgreSQL (+ PgBus)' : 'SQLite',
        'customer messages': sent,
        'store queries': counter.total,
        'bus NOTIFYs': schema ? busTrips : '-',
        'round trips / message': fmt((counter.total + busTrips) / sent, 2),
        'first message (opens conv.)': fmt(avg(first), 2),
        'follow-up messages': fmt(avg(later), 2),
        'of which BEGIN+COMMIT': fmt(((counter.byKind.get('begin') ?? 0) + (counter.byKind.get('commit') ?? 0)) / sent, 2),
        'process CPU ms/msg (user + sys)': `${fmt((cpu.user + cpu.system) / 1000 / sent, 2)} (${fmt(cpu.user / 1000 / sent, 2)} + ${fmt(cpu.system / 1000 / sent, 2)})`,
      },
    };
  } finally {
    await desk.close();
    await bus?.close();
    undoPg();
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Statement kinds side by side, per customer message. */
export function breakdownTable(results: { name: string; result: TripsResult }[]) {
  const kinds = new Set(results.flatMap((r) => [...r.result.breakdown.keys()]));
  const total = (k: string) => results.reduce((n, r) => n + (r.result.breakdown.get(k) ?? 0) / r.result.messages, 0);
  return [...kinds]
    .sort((a, b) => total(b) - total(a))
    .map((kind) => ({
      statement: kind.length > 70 ? `${kind.slice(0, 67)}…` : kind,
      ...Object.fromEntries(results.map((r) => [`${r.name} / msg`, fmt((r.result.breakdown.get(kind) ?? 0) / r.result.messages, 2)])),
    }));
}

/** One visitor's first and second message, statement by statement. */
export function traceTable(results: { name: string; result: TripsResult }[]) {
  const columns = results.flatMap((r) => [
    [`${r.name}: first message`, r.result.traces.first],
    [`${r.name}: follow-up`, r.result.traces.followUp],
  ] as const);
  const length = Math.max(0, ...columns.map(([, t]) => t.length));
  return Array.from({ length }, (_, i) => Object.fromEntries(columns.map(([name, t]) => [name, t[i] ?? ''])));
}
