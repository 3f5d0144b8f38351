import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/open';
import type { Store } from '../../server/store/types';
import { ContractClient } from '../support/api-contract';
import { dropSchema, freshSchema, postgresRequiredInCi, TEST_DATABASE_URL } from '../support/stores';
import { WebhookReceiver } from '../support/webhook-receiver';
import { prepareKnowledgeIndex, SCALE_ADMIN_TOKEN, type ServerProcess, spawnServer } from './cluster';

/**
 * Webhooks survive a SIGKILL of the instance that is sending them: the receiver holds the
 * deliveries open, the sending instance is killed mid-request, and every event still arrives
 * (from the other instance, or the restarted one), each with the event id it had before.
 */
const ENV = { WEBHOOKS_ALLOW_PRIVATE: 'true', OUTBOX_LEASE_SECONDS: '1', OUTBOX_POLL_MS: '100', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RETRY_MAX_MS: '500' };
let workDir: string;
let knowledgeIndex: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'answerdesk-webhooks-'));
  knowledgeIndex = prepareKnowledgeIndex(workDir);
}, 120_000);
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** /api/v1 calls, each response checked against the served OpenAPI document. */
const call = async (server: ServerProcess, method: 'get' | 'post', path: string, body?: unknown) => {
  const res = await new ContractClient(server.url, SCALE_ADMIN_TOKEN).request(method, path, body === undefined ? {} : { body });
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${res.text}`);
  return res.body;
};

async function killMidDelivery(first: ServerProcess, takeOver: () => Promise<ServerProcess>, store: Store): Promise<void> {
  const receiver = await new WebhookReceiver().start();
  let second: ServerProcess | undefined;
  try {
    receiver.mode = 'hang';
    const { secret } = await call(first, 'post', '/webhooks', { url: receiver.url, events: ['conversation.created', 'message.created'] });
    receiver.secrets = [secret];
    const { customer } = await call(first, 'post', '/customers/identify', { externalId: 'crash' });
    const { conversation } = await call(first, 'post', '/conversations', { customerId: customer.id, text: 'How do I reset my password?' });
    await receiver.until('a delivery in flight', () => receiver.received.length > 0);
    const inFlight = new Set(receiver.received.map((r) => r.eventId));

    await first.crash();
    receiver.release(200);
    second = await takeOver();

    const messages = await store.conversations.listMessages(conversation.id, 0, 100);
    const expected = 1 + messages.filter((m) => m.author !== 'system').length;
    await receiver.until(`all ${expected} events after the crash`, () => receiver.ids().size >= expected, 30_000);
    expect(receiver.ids().size).toBe(expected);
    expect(receiver.ids('conversation.created').size).toBe(1);
    // What was in flight when the instance died came again, with the same event id.
    for (const id of inFlight) expect(receiver.ids().has(id), id).toBe(true);
    expect(receiver.received.every((r) => r.validFor.length === 1)).toBe(true);
  } finally {
    await second?.stop();
    await receiver.close();
  }
}

const postgres = await postgresRequiredInCi('the webhook crash test');

describe.skipIf(!postgres)('webhooks: PostgreSQL, the sending instance SIGKILLed mid-delivery, the other instance delivers', () => {
  const schema = freshSchema();
  let store: Store | undefined;
  let a: ServerProcess | undefined;

  beforeAll(async () => {
    store = await openStore({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema });
    a = await spawnServer({ label: 'A', dataDir: join(workDir, 'pg-a'), knowledgeIndex, databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, env: ENV });
  }, 60_000);
  afterAll(async () => {
    await a?.stop();
    await store?.close();
    await dropSchema(schema);
  }, 30_000);

  it('redelivers every in-flight event with its id', { timeout: 90_000 }, async () => {
    await killMidDelivery(a!, () => spawnServer({ label: 'B', dataDir: join(workDir, 'pg-b'), knowledgeIndex, databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, env: ENV }), store!);
    expect(await a!.exited).toBe(-1);
  });
});

describe('webhooks: SQLite, the instance SIGKILLed mid-delivery and restarted on the same file', () => {
  const dataDir = () => join(workDir, 'sqlite');
  let first: ServerProcess | undefined;
  let store: Store | undefined;

  beforeAll(async () => {
    first = await spawnServer({ label: 'sqlite-1', dataDir: dataDir(), knowledgeIndex, env: ENV });
    store = await openStore({ sqlitePath: join(dataDir(), 'answerdesk.sqlite') });
  }, 60_000);
  afterAll(async () => {
    await first?.stop();
    await store?.close();
  }, 30_000);

  it('redelivers every in-flight event with its id', { timeout: 90_000 }, async () => {
    await killMidDelivery(first!, () => spawnServer({ label: 'sqlite-2', dataDir: dataDir(), knowledgeIndex, env: ENV }), store!);
    expect(await first!.exited).toBe(-1);
  });
});
