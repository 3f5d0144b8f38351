import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/types';
import { deliveryChannel } from '../../server/store/webhooks';
import { BACKENDS, backendAvailable } from '../support/stores';

/** The API-key, idempotency and webhook areas of the store, on both backends. */
for (const backend of BACKENDS) {
  describe(`store: API keys and webhooks (${backend.name})`, async () => {
    const available = await backendAvailable(backend);
    let store: Store;
    beforeAll(async () => {
      if (available) store = await backend.open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it.skipIf(!available)('keeps only a hash of a key, authenticates it until it is revoked', async () => {
      const { key, secret } = await store.apiKeys.create({ name: 'crm', scopes: ['read', 'read', 'tickets:write'] });
      expect(key.scopes).toEqual(['read', 'tickets:write']);
      expect(secret.startsWith(key.prefix)).toBe(true);
      const rows = await (store as unknown as { db: any }).db.selectFrom('api_keys').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect((await store.apiKeys.authenticate(secret))?.id).toBe(key.id);
      expect((await store.apiKeys.list())[0]!.lastUsedAt).not.toBeNull();
      expect(await store.apiKeys.authenticate(`${secret}x`)).toBeUndefined();
      await store.apiKeys.revoke(key.id);
      expect(await store.apiKeys.authenticate(secret)).toBeUndefined();
    });

    it.skipIf(!available)('claims an idempotency key once; duplicates see it running, then its response; another request is a mismatch', async () => {
      const states = await Promise.all(Array.from({ length: 6 }, () => store.apiKeys.beginIdempotent('k1', 'same', 'fp')));
      expect(states.filter((s) => s.kind === 'started')).toHaveLength(1);
      expect(states.filter((s) => s.kind === 'running')).toHaveLength(5);
      expect(await store.apiKeys.beginIdempotent('k1', 'same', 'other')).toEqual({ kind: 'mismatch' });
      await store.apiKeys.finishIdempotent('k1', 'same', 201, '{"ok":true}');
      expect(await store.apiKeys.beginIdempotent('k1', 'same', 'fp')).toEqual({ kind: 'done', status: 201, body: '{"ok":true}' });
      // Another key's namespace is separate; an abandoned one is free again.
      expect((await store.apiKeys.beginIdempotent('k2', 'same', 'fp')).kind).toBe('started');
      await store.apiKeys.abandonIdempotent('k2', 'same');
      expect((await store.apiKeys.beginIdempotent('k2', 'same', 'fp')).kind).toBe('started');
      expect(await store.apiKeys.pruneIdempotent(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(2);
    });

    it.skipIf(!available)('keeps one delivery-log row per subscription and event, however often it is attempted', async () => {
      const a = (await store.webhooks.create({ url: 'https://a.example/hook', events: ['ticket.created'] })).subscription;
      const b = (await store.webhooks.create({ url: 'https://b.example/hook', events: ['ticket.created', 'message.created'] })).subscription;
      expect((await store.webhooks.subscribedTo('message.created')).map((s) => s.id)).toEqual([b.id]);
      const event = { id: 'evt_1', type: 'ticket.created', body: '{"id":"evt_1"}' };
      const [first, second] = await Promise.all([store.webhooks.ensureDelivery(a.id, event), store.webhooks.ensureDelivery(a.id, event)]);
      expect(second!.id).toBe(first!.id);
      expect((await store.webhooks.ensureDelivery(b.id, event)).id).not.toBe(first!.id);
      expect(await store.webhooks.deliveries(a.id, { limit: 10 })).toHaveLength(1);
      const delivery = first!;
      await store.webhooks.recordAttempt(delivery.id, { at: new Date().toISOString(), status: 500, error: 'HTTP 500', durationMs: 12 }, 'pending');
      await store.webhooks.recordAttempt(delivery.id, { at: new Date().toISOString(), status: 200, error: null, durationMs: 8 }, 'delivered');
      expect((await store.webhooks.attempts(delivery.id)).map((x) => x.status)).toEqual([500, 200]);
      expect(await store.webhooks.delivery(delivery.id)).toMatchObject({ state: 'delivered', attempts: 2, lastStatus: 200 });
      // Redelivery: the same row, through a new outbox row on the subscription's channel.
      const again = await store.webhooks.redeliver(delivery.id);
      expect(again!.state).toBe('pending');
      const rows = await store.outbox.claim('test', 1000, 10);
      expect(rows.map((r) => [r.channel, r.conversationId, r.payload])).toEqual([[deliveryChannel(a.id), null, { deliveryId: delivery.id, redelivery: true }]]);
      await store.outbox.markSent(rows[0]!.id, 'test');
      // Retention drops finished deliveries (b's, given up) with their attempts; pending ones stay.
      const forB = await store.webhooks.ensureDelivery(b.id, event);
      await store.webhooks.recordAttempt(forB.id, { at: new Date().toISOString(), status: 410, error: 'HTTP 410', durationMs: 3 }, 'failed');
      expect(await store.webhooks.prune(new Date(Date.now() + 1000))).toBe(1);
      expect(await store.webhooks.delivery(forB.id)).toBeUndefined();
      expect(await store.webhooks.attempts(forB.id)).toEqual([]);
      expect(await store.webhooks.delivery(delivery.id)).toBeDefined();
    });

    it.skipIf(!available)('rotates secrets with an overlap, tracks failure runs, disables once, and writes an event once', async () => {
      const { subscription, secret } = await store.webhooks.create({ url: 'https://c.example/hook', events: ['survey.answered'] });
      const rotated = await store.webhooks.rotateSecret(subscription.id, 60_000);
      expect(await store.webhooks.secrets(subscription.id)).toEqual({ secret: rotated!.secret, previous: secret });
      await store.webhooks.rotateSecret(subscription.id, 0);
      expect((await store.webhooks.secrets(subscription.id))!.previous).toBeNull();
      const since = await store.webhooks.markFailing(subscription.id);
      expect(await store.webhooks.markFailing(subscription.id)).toBe(since);
      await store.webhooks.markHealthy(subscription.id);
      expect((await store.webhooks.get(subscription.id))!.failingSince).toBeNull();
      expect(await Promise.all([store.webhooks.disable(subscription.id, 'r'), store.webhooks.disable(subscription.id, 'r')])).toEqual(expect.arrayContaining([true, false]));
      const row = [{ channel: deliveryChannel(subscription.id), payload: { subscriptionId: subscription.id, event: { id: 'evt_sla', type: 'ticket.sla_breached' } } }];
      const once = await Promise.all([store.webhooks.enqueueOnce('sla_breached:t1', row), store.webhooks.enqueueOnce('sla_breached:t1', row)]);
      expect(once.filter(Boolean)).toHaveLength(1);
    });
  });
}
