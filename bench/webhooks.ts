/**
 * Webhook figures (part of `npm run bench`, or alone: `node --import tsx bench/webhooks.ts`):
 * the cost on the request path of writing events with their cause, and how fast events reach a
 * receiver on 127.0.0.1 through the outbox. In-process server, SQLite (and PostgreSQL when
 * TEST_DATABASE_URL answers), bounded loops, 127.0.0.1 only.
 */
import { percentile } from '../server/metrics/stats';
import { ADMIN_TOKEN, startTestServer } from '../test/support/server';
import { postgresReachable, TEST_DATABASE_URL } from '../test/support/stores';
import { WebhookReceiver } from '../test/support/webhook-receiver';

const CONVERSATIONS = 200;
const CONCURRENCY = 8;
const ms = (n: number | null) => (n === null ? '-' : n.toFixed(1));

async function run(backend: 'sqlite' | 'postgres', subscribed: boolean) {
  const receiver = await new WebhookReceiver().start();
  const server = await startTestServer(
    { WEBHOOKS_ALLOW_PRIVATE: 'true', OUTBOX_POLL_MS: '200', API_RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_VISITOR_PER_MINUTE: '100000', ...(backend === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL } : {}) },
    { pgSchema: 'fresh' },
  );
  const call = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as any;
  };
  try {
    if (subscribed) receiver.secrets = [(await call('/webhooks', { url: receiver.url, events: ['conversation.created', 'message.created'] })).secret];
    const latencies: number[] = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CONVERSATIONS) {
          const i = next++;
          const { customer } = await call('/customers/identify', { externalId: `bench-${i}` });
          const t = performance.now();
          await call('/conversations', { customerId: customer.id, text: 'How do I reset my password?' });
          latencies.push(performance.now() - t);
        }
      }),
    );
    const requestsDone = performance.now();
    let events = 0;
    let delivery: number[] = [];
    if (subscribed) {
      const expected = async () => {
        let n = 0;
        for (const c of await server.desk.store.apiReads.conversations(undefined, 10_000)) n += 1 + (await server.desk.store.conversations.listMessages(c.id, 0, 100)).length;
        return n;
      };
      events = await expected();
      await receiver.until(`${events} events`, () => receiver.ids().size >= events, 120_000);
      delivery = receiver.received.map((r) => r.at - Date.parse(r.body.createdAt));
    }
    const drained = performance.now();
    return {
      backend,
      webhooks: subscribed ? 'subscribed' : 'none',
      'POST /conversations p50 ms': ms(percentile(latencies, 50)),
      'p99 ms': ms(percentile(latencies, 99)),
      events,
      'event → receiver p50 ms': subscribed ? ms(percentile(delivery, 50)) : '-',
      'p99 ms ': subscribed ? ms(percentile(delivery, 99)) : '-',
      'drain after last POST ms': subscribed ? ms(drained - requestsDone) : '-',
      'events/s': subscribed ? Math.round(events / ((drained - started) / 1000)) : '-',
    };
  } finally {
    await server.close();
    await receiver.close();
  }
}

export async function webhookBench(): Promise<void> {
  const rows = [];
  for (const backend of ['sqlite', ...((await postgresReachable()) ? ['postgres' as const] : [])] as const) {
    rows.push(await run(backend, false));
    rows.push(await run(backend, true));
  }
  console.log(`\nWebhooks: ${CONVERSATIONS} conversations opened through the API (${CONCURRENCY} at a time), each event to a receiver on 127.0.0.1`);
  console.table(rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await webhookBench();
