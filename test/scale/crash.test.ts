import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/open';
import type { Store } from '../../server/store/types';
import { dropSchema, freshSchema, postgresRequiredInCi, TEST_DATABASE_URL } from '../support/stores';
import { admin, pool, prepareKnowledgeIndex, QUESTIONS, type ServerProcess, sleep, spawnServer, Visitor } from './cluster';

/**
 * Crash safety with real server processes: visitors keep talking while an instance is
 * killed with SIGKILL; afterwards storage must hold every acknowledged message exactly once,
 * in order, without gaps, and no conversation may be left waiting on the bot.
 */

const MESSAGES_PER_VISITOR = 5;
let workDir: string;
let knowledgeIndex: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'answerdesk-scale-'));
  knowledgeIndex = prepareKnowledgeIndex(workDir);
});
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** Each visitor sends its questions a little apart, pipelined (not waiting for acks). */
async function converse(visitor: Visitor, index: number): Promise<void> {
  for (let k = 0; k < MESSAGES_PER_VISITOR; k++) {
    visitor.say(`${QUESTIONS[(index + k) % QUESTIONS.length]} (#${index}.${k})`);
    await sleep(80 + Math.random() * 250);
  }
  await visitor.until(() => visitor.pending === 0, 40_000, 'every message to be acknowledged');
  await visitor.until(() => visitor.answeredLast, 20_000, 'the answer to the last message');
}

const recovered = (server: ServerProcess) => server.logCounts.get('answering a customer message left unanswered by a stopped instance') ?? 0;
const totalAcks = (visitors: Visitor[]) => visitors.reduce((n, v) => n + v.acks.size, 0);

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Every invariant, checked in storage; returns the problems found (empty = good). */
async function verify(store: Store, visitors: Visitor[]): Promise<{ problems: string[]; messages: number; conversations: number }> {
  const problems: string[] = [];
  let messages = 0;
  let conversations = 0;
  for (const v of visitors) {
    const who = `visitor ${v.customerId}`;
    const convs = (await store.conversations.listOfCustomer(v.customerId, 100)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    conversations += convs.length;
    const byClientId = new Map<string, { conversationId: string; seq: number }[]>();
    const customerOrder: string[] = [];
    for (const conv of convs) {
      const stored = await store.conversations.listMessages(conv.id, 0, 10_000);
      messages += stored.length;
      // Numbered 1..N: no gaps, no duplicates, and the counter agrees.
      const seqs = stored.map((m) => m.seq);
      if (seqs.some((s, i) => s !== i + 1) || conv.lastSeq !== stored.length) {
        problems.push(`${who}: conversation ${conv.id} seqs ${seqs.join(',')} (lastSeq ${conv.lastSeq})`);
      }
      stored.forEach((m, i) => {
        if (m.author !== 'customer') return;
        if (m.clientId) {
          byClientId.set(m.clientId, [...(byClientId.get(m.clientId) ?? []), { conversationId: conv.id, seq: m.seq }]);
          customerOrder.push(m.clientId);
        }
        // Not stuck: while the bot owns the conversation every customer message has an answer.
        const next = stored[i + 1];
        if (conv.state === 'bot' && (!next || next.author === 'customer')) {
          problems.push(`${who}: customer message seq ${m.seq} in ${conv.id} has no answer (next: ${next?.author ?? 'nothing'})`);
        }
      });
    }
    for (const clientId of v.sent) {
      const ack = v.acks.get(clientId);
      const rows = byClientId.get(clientId) ?? [];
      if (!ack) problems.push(`${who}: ${clientId} was never acknowledged`);
      if (rows.length !== 1) problems.push(`${who}: ${clientId} stored ${rows.length} times`);
      else if (ack && (rows[0]!.seq !== ack.seq || rows[0]!.conversationId !== ack.conversationId)) {
        problems.push(`${who}: ${clientId} acked as ${ack.conversationId}#${ack.seq}, stored as ${rows[0]!.conversationId}#${rows[0]!.seq}`);
      }
    }
    if (customerOrder.join() !== v.sent.join()) problems.push(`${who}: customer messages stored out of send order`);
    // The visitor saw everything there is (live delivery caught up after the reconnect).
    const last = convs.at(-1);
    if (last && !v.received.some((m) => m.conversationId === last.id && m.seq === last.lastSeq)) {
      problems.push(`${who}: never received seq ${last.lastSeq} of ${last.id}`);
    }
    if (v.errors.length) problems.push(`${who}: error frames ${JSON.stringify(v.errors.slice(0, 3))}`);
  }
  return { problems, messages, conversations };
}

/** Drive the visitors, kill `victim` once `killAt` of all messages are acknowledged, then `after`. */
async function runWithCrash(visitors: Visitor[], victim: ServerProcess, killAt: number, after: () => Promise<void> = async () => undefined) {
  const expected = visitors.length * MESSAGES_PER_VISITOR;
  const started = Date.now();
  const talking = Promise.all(visitors.map((v, i) => converse(v, i)));
  const crash = (async () => {
    await waitUntil(() => totalAcks(visitors) >= expected * killAt, 30_000, `${killAt * 100}% of acks before the kill`);
    const acksAtKill = totalAcks(visitors);
    await victim.crash();
    await after();
    return acksAtKill;
  })();
  // Surface a failure of either side at once.
  const [, acksAtKill] = await Promise.all([talking, crash]);
  return { acksAtKill, expected, ms: Date.now() - started };
}

describe('crash safety: PostgreSQL, two instances, one killed mid-stream', () => {
  const VISITORS = 240;
  let reachable = false;
  let schema: string;
  let store: Store | undefined;
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;

  beforeAll(async () => {
    reachable = await postgresRequiredInCi('the multi-instance crash tests');
    if (!reachable) return;
    schema = freshSchema();
    // Create and migrate the schema once, so the two instances start side by side.
    store = await openStore({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema });
    const common = { knowledgeIndex, databaseUrl: TEST_DATABASE_URL, databaseSchema: schema };
    [a, b] = await Promise.all([
      spawnServer({ ...common, label: 'A', dataDir: join(workDir, 'a') }),
      spawnServer({ ...common, label: 'B', dataDir: join(workDir, 'b') }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await store?.close();
    if (reachable) await dropSchema(schema);
  }, 30_000);

  it('delivers live across instances: visitor on A escalates, an agent on B replies', async (ctx) => {
    if (!reachable) return ctx.skip();
    const visitor = new Visitor(() => [a!.url]);
    await visitor.session();
    await visitor.connect();
    visitor.say('let me talk to a person');
    await visitor.until(() => visitor.received.some((m) => m.content.type === 'event' && m.content.event === 'escalated'), 10_000, 'the escalation');
    const conversationId = visitor.conversationId!;
    const { tickets } = (await (await admin(b!.url, '/api/tickets')).json()) as { tickets: { id: string; conversationId: string }[] };
    const ticket = tickets.find((t) => t.conversationId === conversationId);
    expect(ticket).toBeDefined();
    const sentAt = performance.now();
    const res = await admin(b!.url, `/api/tickets/${ticket!.id}/reply`, { method: 'POST', body: JSON.stringify({ text: 'Hello from instance B' }) });
    expect(res.status).toBe(201);
    await visitor.until(
      () => visitor.received.some((m) => m.author === 'agent' && m.content.type === 'text' && m.content.text === 'Hello from instance B'),
      5_000,
      'the agent reply via PostgreSQL NOTIFY',
    );
    console.info(`[scale] cross-instance agent reply reached the visitor in ${(performance.now() - sentAt).toFixed(0)} ms`);
    visitor.close();
  });

  it('shows a second tab on the other instance the new conversation, each question and each answer, in order', async (ctx) => {
    if (!reachable) return ctx.skip();
    const tabA = new Visitor(() => [a!.url]);
    await tabA.session();
    await tabA.connect();
    const tabB = new Visitor(() => [b!.url]);
    tabB.token = tabA.token;
    tabB.customerId = tabA.customerId;
    await tabB.connect();
    const texts = (tab: Visitor) => tab.received.map((m) => `${m.seq}:${m.author}${m.author === 'customer' && m.content.type === 'text' ? `:${m.content.text}` : ''}`);
    // The question opens a conversation on A; B learns of it, the question and the answer from one turn's notification.
    tabA.say('How do I reset my password?');
    await tabB.until(() => tabB.received.some((m) => m.author === 'bot'), 10_000, 'the first answer on the other instance');
    tabA.say('And how do I change my email address?');
    await tabA.until(() => tabA.received.filter((m) => m.author === 'customer').length === 2 && tabA.received.at(-1)?.author === 'bot', 10_000, 'the second answer on A');
    const seenOnA = texts(tabA);
    await tabB.until(() => texts(tabB).length === seenOnA.length, 10_000, 'the follow-up on the other instance');
    expect(tabB.conversationId).toBe(tabA.conversationId);
    expect(texts(tabB)).toEqual(seenOnA);
    expect(tabB.received.map((m) => m.seq)).toEqual(seenOnA.map((_, i) => i + 1));
    tabA.close();
    tabB.close();
  });

  it(`keeps every acknowledged message of ${VISITORS} conversations when an instance is SIGKILLed`, { timeout: 90_000 }, async (ctx) => {
    if (!reachable) return ctx.skip();
    const urls = () => [a!.url, b!.url];
    const visitors = Array.from({ length: VISITORS }, (_, i) => new Visitor(urls, i % 2));
    await pool(visitors, 40, (v) => v.session());
    await pool(visitors, 40, (v) => v.connect());

    const run = await runWithCrash(visitors, a!, 0.35);
    visitors.forEach((v) => v.close());
    const moved = visitors.filter((v) => v.reconnects > 0).length;
    const { problems, messages, conversations } = await verify(store!, visitors);
    console.info(
      `[scale] postgres: ${VISITORS} visitors, ${run.expected} customer messages, killed A after ${run.acksAtKill} acks; ` +
        `${moved} visitors reconnected to B, which answered ${recovered(b!)} messages A had left unanswered; ` +
        `${conversations} conversations, ${messages} stored messages; ${run.ms} ms`,
    );
    expect(problems.slice(0, 20)).toEqual([]);
    expect(moved).toBeGreaterThan(VISITORS / 4);
    expect(await a!.exited).toBe(-1);
  });
});

describe('graceful stop', () => {
  it('SIGTERM finishes in-flight messages, asks widgets to reconnect and exits 0', { timeout: 60_000 }, async () => {
    const server = await spawnServer({ label: 'graceful', dataDir: join(workDir, 'graceful'), knowledgeIndex });
    try {
      const visitors = Array.from({ length: 20 }, () => new Visitor(() => [server.url]));
      await pool(visitors, 20, async (v) => {
        await v.session();
        await v.connect();
      });
      visitors.forEach((v, i) => v.say(QUESTIONS[i % QUESTIONS.length]!));
      await waitUntil(() => totalAcks(visitors) > 0, 10_000, 'a first ack');
      const started = Date.now();
      expect(await server.stop()).toBe(0);
      console.info(`[scale] graceful stop with 20 busy sockets took ${Date.now() - started} ms`);
      expect(visitors.every((v) => v.reconnectRequests === 1)).toBe(true);
      expect(server.logCounts.get('stopped')).toBe(1);
      visitors.forEach((v) => v.close());
      // Work in progress was finished, not cut: every stored message has its answer.
      const store = await openStore({ sqlitePath: join(workDir, 'graceful', 'answerdesk.sqlite') });
      try {
        const { problems } = await verify(store, visitors);
        // A message still on the wire when the socket closed is unacknowledged: the widget re-sends it.
        const unacked = visitors.flatMap((v) => v.sent.filter((id) => !v.acks.has(id)));
        expect(problems.filter((p) => !unacked.some((id) => p.includes(id)) && !p.includes('out of send order'))).toEqual([]);
        console.info(`[scale] graceful stop: ${totalAcks(visitors)}/20 messages acknowledged and answered before exit`);
      } finally {
        await store.close();
      }
    } finally {
      await server.stop();
    }
  });
});

describe('crash safety: SQLite, one instance killed and restarted on the same file', () => {
  const VISITORS = 200;
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop();
  }, 30_000);

  it(`keeps every acknowledged message of ${VISITORS} conversations across kill -9 and restart`, { timeout: 60_000 }, async () => {
    const dataDir = join(workDir, 'sqlite');
    const start = (label: string) => spawnServer({ label, dataDir, knowledgeIndex });
    server = await start('sqlite-1');
    const first = server;
    const visitors = Array.from({ length: VISITORS }, () => new Visitor(() => [server!.url]));
    await pool(visitors, 25, (v) => v.session());
    await pool(visitors, 25, (v) => v.connect());

    const run = await runWithCrash(visitors, first, 0.4, async () => {
      server = await start('sqlite-2');
    });
    visitors.forEach((v) => v.close());
    await server.stop();
    expect(await first.exited).toBe(-1);

    const store = await openStore({ sqlitePath: join(dataDir, 'answerdesk.sqlite') });
    try {
      const { problems, messages, conversations } = await verify(store, visitors);
      console.info(
        `[scale] sqlite: ${VISITORS} visitors, ${run.expected} customer messages, killed after ${run.acksAtKill} acks and restarted ` +
          `(the restart answered ${recovered(server)} messages left unanswered); ${conversations} conversations, ${messages} stored messages; ${run.ms} ms`,
      );
      expect(problems.slice(0, 20)).toEqual([]);
      expect(visitors.every((v) => v.reconnects > 0)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
