import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF } from '../../server/outbox/backoff';
import type { Store } from '../../server/store/types';
import { isPrivateAddress, safePost, targetProblem } from '../../server/webhooks/safe-post';
import { ContractClient } from '../support/api-contract';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server';
import { postgresRequiredInCi, TEST_DATABASE_URL } from '../support/stores';
import { WebhookReceiver } from '../support/webhook-receiver';
import { WidgetClient } from '../support/widget-client';
import { ImproveInbox } from '../../server/kb/inbox';

const postgres = await postgresRequiredInCi('the webhook suite');
const RETRY_BASE_MS = 100;
const FAST = { OUTBOX_POLL_MS: '50', WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS), WEBHOOK_RETRY_MAX_MS: '800', SLA_WATCH_MS: '100', WEBHOOKS_ALLOW_PRIVATE: 'true', API_RATE_LIMIT_PER_MINUTE: '10000' };
const ALL_EVENTS = ['conversation.created', 'message.created', 'ticket.created', 'ticket.assigned', 'ticket.resolved', 'ticket.sla_breached', 'survey.answered', 'article.published', 'improvement.created'];

/** Every event the stored data says must have been sent: conversations, announced messages, tickets. */
async function expectedFromStore(store: Store, conversationIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const add = (type: string, n = 1) => counts.set(type, (counts.get(type) ?? 0) + n);
  for (const id of conversationIds) {
    add('conversation.created');
    const messages = await store.conversations.listMessages(id, 0, 1000);
    add('message.created', messages.filter((m) => m.author !== 'system' && m.content.type !== 'note').length);
  }
  return counts;
}

for (const backend of ['sqlite', 'postgres'] as const) {
  describe.skipIf(backend === 'postgres' && !postgres)(`webhooks (${backend})`, () => {
    let server: TestServer;
    let receiver: WebhookReceiver;
    let api: ContractClient;
    let subscriptionId: string;

    beforeAll(async () => {
      receiver = await new WebhookReceiver().start();
      server = await startTestServer({ ...FAST, ...(backend === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL } : {}) }, { pgSchema: 'fresh' });
      api = new ContractClient(server.url, ADMIN_TOKEN);
      const created = await api.post('/webhooks', { url: receiver.url, events: ALL_EVENTS, description: 'test receiver' });
      expect(created.status).toBe(201);
      subscriptionId = created.body.subscription.id;
      receiver.secrets = [created.body.secret];
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await receiver?.close();
    });

    it('delivers every event of a scripted day, signed, each event id once', { timeout: 60_000 }, async () => {
      const conversations: string[] = [];
      // Morning: the site identifies a customer and opens a conversation; the bot answers.
      const grace = await api.post('/customers/identify', { externalId: 'grace', name: 'Grace' });
      const opened = await api.post('/conversations', { customerId: grace.body.customer.id, text: 'How do I reset my password?' });
      conversations.push(opened.body.conversation.id);

      // A widget visitor asks for a person: a ticket.
      const visitor = new WidgetClient(server.url);
      await visitor.session({ name: 'Noor' });
      await visitor.connect();
      visitor.say('Can I get my money back for last month?');
      await visitor.waitForMessage((m) => m.author === 'bot');
      visitor.press({ kind: 'handoff' }, 'Talk to a person');
      await visitor.waitFor((f) => f.type === 'conversation' && f.conversation.state === 'queued');
      conversations.push(visitor.conversationId!);
      const ticket = (await api.get(`/tickets?status=open`)).body.data.find((t: { conversationId: string }) => t.conversationId === visitor.conversationId);

      // Afternoon: an agent claims, replies and resolves; the customer answers the survey.
      await api.post(`/tickets/${ticket.id}/claim`, {});
      await api.post(`/tickets/${ticket.id}/reply`, { text: 'Refund on its way.' });
      await api.post(`/tickets/${ticket.id}/notes`, { text: 'internal: never sent' });
      await api.post(`/tickets/${ticket.id}/resolve`, {});
      await visitor.waitForMessage((m) => m.content.type === 'ces');
      visitor.press({ kind: 'ces', score: 6 }, '6');
      await receiver.until('the survey answer', () => receiver.ids('survey.answered').size === 1);
      visitor.close();

      // Evening: a second ticket nobody answers breaches its SLA.
      const late = new WidgetClient(server.url);
      await late.session({ name: 'Late' });
      await late.connect();
      late.say('I want to talk to a person');
      await late.waitForMessage((m) => m.author === 'bot');
      late.press({ kind: 'handoff' }, 'Talk to a person');
      await late.waitFor((f) => f.type === 'conversation' && f.conversation.state === 'queued');
      conversations.push(late.conversationId!);
      late.close();
      const lateTicket = await server.desk.store.tickets.byConversation(late.conversationId!);
      await (server.desk.store as unknown as { db: any }).db.updateTable('tickets').set({ first_response_due_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', lateTicket!.id).execute();

      // The knowledge area's hook (one line), and a question the bot cannot answer: a new "Improve the bot" item.
      await server.desk.service.events.emit({ type: 'article.published', data: { article: { id: 'reset-password', title: 'Reset your password' } } });
      await api.post('/conversations', { customerId: grace.body.customer.id, text: 'Can I pay my invoice by cheque from Fiji?' });
      // Items are announced by the improvement watch (every SLA_WATCH_MS): as many as the inbox has, each once.
      const inbox = new ImproveInbox(server.desk.store, () => server.desk.knowledge.matcher, () => undefined);
      const items = async () => (await inbox.items({ days: 1, status: 'open' })).filter((i) => !i.confirmedOnly).length;
      await receiver.until('an improvement.created', () => receiver.ids('improvement.created').size >= 1);

      // What the stored data says was sent; re-read until the last bot replies are in and delivered.
      let expected = new Map<string, number>();
      for (let total = -1; ; ) {
        expected = await expectedFromStore(server.desk.store, conversations);
        for (const [type, n] of Object.entries({ 'ticket.created': 2, 'ticket.assigned': 1, 'ticket.resolved': 1, 'ticket.sla_breached': 1, 'survey.answered': 1, 'article.published': 1, 'improvement.created': await items() })) expected.set(type, n);
        const now = [...expected.values()].reduce((a, b) => a + b, 0);
        if (now === total) break;
        total = now;
        await receiver.until(`all ${total} events`, () => receiver.ids().size >= total);
      }
      // The outbox drains (the last "sent" marks follow the receiver's answers).
      for (let pending = await server.desk.store.outbox.pending(); pending > 0; pending = await server.desk.store.outbox.pending()) {
        await receiver.until('the outbox to drain', () => false, 50).catch(() => undefined);
      }
      for (const [type, n] of expected) expect(receiver.ids(type).size, type).toBe(n);
      expect(receiver.received.every((r) => r.validFor.length === 1 && r.signatures === 1)).toBe(true);
      expect(receiver.received.length).toBe(receiver.ids().size);
      // Every body is the documented envelope of its type (OpenAPI `webhooks`), with the resources the API returns.
      for (const r of receiver.received) await api.checkEvent(r.body);
      const msg = receiver.received.find((r) => r.type === 'message.created')!.body;
      expect(msg).toMatchObject({ id: expect.stringMatching(/^evt_/), type: 'message.created', data: { message: { conversationId: expect.any(String), seq: expect.any(Number) } } });
      const breached = receiver.received.find((r) => r.type === 'ticket.sla_breached')!.body;
      expect(breached.data.ticket.id).toBe(lateTicket!.id);
      expect(receiver.received.some((r) => r.raw.includes('internal: never sent'))).toBe(false);
      // The delivery log lists them with the receiver's status.
      const log = await api.get(`/webhooks/${subscriptionId}/deliveries?limit=100`);
      expect(log.body.data.every((d: { state: string; lastStatus: number }) => d.state === 'delivered' && d.lastStatus === 200)).toBe(true);
    });

    it('retries a failing receiver with growing delays and delivers everything once it recovers', { timeout: 60_000 }, async () => {
      receiver.mode = 500;
      const before = receiver.received.length;
      const customer = await api.post('/customers/identify', { externalId: 'during-outage' });
      await api.post('/conversations', { customerId: customer.body.customer.id, text: 'How do I cancel my subscription?' });
      const conversationId = (await api.get(`/conversations?customerId=${customer.body.customer.id}`)).body.data[0].id;
      // Wait for one delivery to be tried four times (three retries).
      const firstId = await new Promise<string>((resolve, reject) => {
        receiver.until('four attempts of one delivery', () => {
          const tries = new Map<string, number>();
          for (const r of receiver.received.slice(before)) tries.set(r.eventId, (tries.get(r.eventId) ?? 0) + 1);
          const id = [...tries].find(([, n]) => n >= 4)?.[0];
          if (id) resolve(id);
          return id !== undefined;
        }).catch(reject);
      });
      const attempts = receiver.received.filter((r) => r.eventId === firstId).map((r) => r.at);
      // Exponential backoff with jitter: the n-th retry waits at least half of base·2^(n-1).
      for (let n = 1; n < attempts.length; n++) expect(attempts[n]! - attempts[n - 1]!).toBeGreaterThanOrEqual((RETRY_BASE_MS * 2 ** (n - 1)) / 2 - 5);
      const failing = (await api.get('/webhooks')).body.data.find((s: { id: string }) => s.id === subscriptionId);
      expect(failing.failingSince).not.toBeNull();
      const log = await api.get(`/webhooks/${subscriptionId}/deliveries`);
      expect(log.body.data.some((d: { lastStatus: number; state: string }) => d.lastStatus === 500 && d.state === 'pending')).toBe(true);

      receiver.mode = 200;
      const expected = await expectedFromStore(server.desk.store, [conversationId]);
      const outageIds = () => new Set(receiver.received.slice(before).filter((r) => r.answered === 200).map((r) => r.eventId));
      const total = [...expected.values()].reduce((a, b) => a + b, 0);
      await receiver.until('every event after recovery', () => outageIds().size >= total);
      expect(outageIds().size).toBe(total);
      const healthy = (await api.get('/webhooks')).body.data.find((s: { id: string }) => s.id === subscriptionId);
      expect(healthy.failingSince).toBeNull();
    });

    it('redelivers on request with the same event id, and signs with both secrets during a rotation', { timeout: 30_000 }, async () => {
      const log = await api.get(`/webhooks/${subscriptionId}/deliveries?limit=1`);
      const delivery = log.body.data[0];
      const oldSecret = receiver.secrets[0]!;
      const rotated = await api.post(`/webhooks/${subscriptionId}/rotate-secret`, { overlapHours: 1 });
      expect(rotated.body.subscription.previousSecretUntil).not.toBeNull();
      receiver.secrets = [oldSecret, rotated.body.secret];
      const count = receiver.received.filter((r) => r.eventId === delivery.eventId).length;
      const again = await api.post(`/webhooks/${subscriptionId}/deliveries/${delivery.id}/redeliver`);
      expect(again.status).toBe(202);
      await receiver.until('the redelivery', () => receiver.received.filter((r) => r.eventId === delivery.eventId).length > count);
      const last = receiver.received.filter((r) => r.eventId === delivery.eventId).at(-1)!;
      expect(last.signatures).toBe(2);
      expect(last.validFor).toEqual([oldSecret, rotated.body.secret]);
      // After the overlap only the new secret signs.
      await api.post(`/webhooks/${subscriptionId}/rotate-secret`, { overlapHours: 0 }).then((r) => (receiver.secrets = [r.body.secret]));
      const again2 = await api.post(`/webhooks/${subscriptionId}/deliveries/${delivery.id}/redeliver`);
      expect(again2.status).toBe(202);
      await receiver.until('the second redelivery', () => receiver.received.filter((r) => r.eventId === delivery.eventId).length > count + 1);
      expect(receiver.received.at(-1)!.signatures).toBe(1);
      expect(receiver.received.at(-1)!.validFor).toHaveLength(1);
    });

    it('disables a subscription after its failure window, with a notice for admins', { timeout: 30_000 }, async () => {
      const failing = await new WebhookReceiver().start();
      failing.mode = 500;
      const short = await startTestServer({ ...FAST, WEBHOOK_DISABLE_AFTER_HOURS: '0.0002', ...(backend === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL } : {}) }, { pgSchema: 'fresh' });
      try {
        const client = new ContractClient(short.url, ADMIN_TOKEN);
        const sub = (await client.post('/webhooks', { url: failing.url, events: ['message.created'] })).body.subscription;
        const customer = await client.post('/customers/identify', { externalId: 'x' });
        await client.post('/conversations', { customerId: customer.body.customer.id, text: 'hello' });
        await failing.until('the subscription to be disabled', () => false, 0).catch(() => undefined);
        const deadline = Date.now() + 20_000;
        let state: { active: boolean; disabledReason: string | null } | undefined;
        while (Date.now() < deadline) {
          state = (await client.get('/webhooks')).body.data.find((s: { id: string }) => s.id === sub.id);
          if (state && !state.active) break;
          await failing.until('another attempt', () => false, 300).catch(() => undefined);
        }
        expect(state!.active).toBe(false);
        expect(state!.disabledReason).toMatch(/failed since/);
        const notices = await short.desk.store.events.list({ from: '2000-01-01', to: '2100-01-01', types: ['webhook_disabled'] });
        expect(notices).toHaveLength(1);
      } finally {
        await short.close();
        await failing.close();
      }
    });

    it('gives a delivery up when its retry window has passed (WEBHOOK_RETRY_HOURS)', { timeout: 30_000 }, async () => {
      const failing = await new WebhookReceiver().start();
      failing.mode = 503;
      const short = await startTestServer({ ...FAST, WEBHOOK_RETRY_HOURS: '0.0002', ...(backend === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL } : {}) }, { pgSchema: 'fresh' });
      try {
        const client = new ContractClient(short.url, ADMIN_TOKEN);
        const sub = (await client.post('/webhooks', { url: failing.url, events: ['conversation.created'] })).body.subscription;
        const customer = await client.post('/customers/identify', { externalId: 'y' });
        await client.post('/conversations', { customerId: customer.body.customer.id, text: 'hello' });
        const deadline = Date.now() + 20_000;
        let log: { state: string; attempts: number; lastStatus: number }[] = [];
        while (Date.now() < deadline) {
          log = (await client.get(`/webhooks/${sub.id}/deliveries`)).body.data;
          if (log[0]?.state === 'failed') break;
          await failing.until('another attempt', () => false, 200).catch(() => undefined);
        }
        expect(log).toHaveLength(1);
        expect(log[0]).toMatchObject({ state: 'failed', lastStatus: 503 });
        expect(log[0]!.attempts).toBeGreaterThan(1);
        expect((await client.get('/webhooks')).body.data[0].active).toBe(true);
        // Given up for good: the outbox row is finished (marked just after the log), nothing more is sent.
        while ((await short.desk.store.outbox.pending()) > 0) await failing.until('the outbox row to finish', () => false, 50).catch(() => undefined);
        expect(failing.received.length).toBe(log[0]!.attempts);
      } finally {
        await short.close();
        await failing.close();
      }
    });

    it('covers every webhook operation with a validated response', () => {
      const ops = ['listWebhooks 200', 'createWebhook 201', 'rotateWebhookSecret 200', 'listWebhookDeliveries 200', 'redeliverWebhook 202'];
      for (const op of ops) expect(api.covered).toContain(op);
    });
  });
}

describe('server-side request forgery', () => {
  it('classifies loopback, private, link-local and mapped addresses as private', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111']) expect(isPrivateAddress(a), a).toBe(false);
    expect(targetProblem('http://hooks.example.com/x', { allowPrivate: false, requireHttps: true })).toMatch(/https/);
    expect(targetProblem('https://user:pw@hooks.example.com/x', { allowPrivate: false, requireHttps: true })).toMatch(/credentials/);
  });

  it('refuses private targets when subscribing and when delivering (after resolving the name)', { timeout: 30_000 }, async () => {
    const receiver = await new WebhookReceiver().start();
    const server = await startTestServer({ OUTBOX_POLL_MS: '50' });
    try {
      const api = new ContractClient(server.url, ADMIN_TOKEN);
      const port = new URL(receiver.url).port;
      for (const url of [receiver.url, `http://[::1]:${port}/`, `http://2130706433:${port}/`, `http://localhost:${port}/`, 'http://169.254.169.254/latest/meta-data']) {
        const refused = await api.post('/webhooks', { url, events: ['message.created'] });
        expect(refused.status, url).toBe(400);
        expect(refused.body.error.code).toBe('invalid_webhook_url');
      }
      // A name that only its DNS answer shows to be loopback (this machine's own name, from
      // /etc/hosts): accepted as a URL, refused at delivery.
      const name = hostname();
      expect(isPrivateAddress((await lookup(name)).address), `${name} should resolve to a local address here`).toBe(true);
      const sneaky = await api.post('/webhooks', { url: `http://${name}:${port}/hooks`, events: ['message.created'] });
      expect(sneaky.status).toBe(201);
      await expect(safePost(`http://${name}:${port}/hooks`, '{}', {}, { allowPrivate: false, requireHttps: false, timeoutMs: 2000 })).rejects.toThrow(/private address/);
      const customer = await api.post('/customers/identify', { externalId: 'ssrf' });
      await api.post('/conversations', { customerId: customer.body.customer.id, text: 'hello' });
      const deadline = Date.now() + 15_000;
      let deliveries: { state: string; lastError: string | null }[] = [];
      while (Date.now() < deadline) {
        deliveries = (await api.get(`/webhooks/${sneaky.body.subscription.id}/deliveries`)).body.data;
        if (deliveries.length > 0 && deliveries.every((d) => d.state === 'failed')) break;
        await receiver.until('a refused delivery', () => false, 100).catch(() => undefined);
      }
      expect(deliveries.length).toBeGreaterThan(0);
      expect(deliveries.every((d) => d.state === 'failed' && /private address/.test(d.lastError ?? ''))).toBe(true);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});

// Policy sanity: the default (non-webhook) outbox schedule is untouched by the webhook one.
it('keeps the platform backoff policy as it was', () => {
  expect(DEFAULT_BACKOFF.maxAttempts).toBe(12);
});
