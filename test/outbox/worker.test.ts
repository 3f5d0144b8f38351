import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, nextAttemptDelay } from '../../server/outbox/backoff';
import { DeliveryError } from '../../server/outbox/delivery-error';
import { DeliveryWorker } from '../../server/outbox/worker';
import { LocalBus } from '../../server/realtime/bus';
import type { OutboxItem, Store } from '../../server/store/types';
import { BACKENDS, backendAvailable } from '../support/stores';

describe('backoff', () => {
  it('doubles up to the cap, with jitter in the upper half, and waits at least Retry-After', () => {
    const policy = { baseMs: 1000, maxMs: 8000, maxAttempts: 5 };
    expect(nextAttemptDelay(policy, 1, undefined, () => 0)).toBe(500);
    expect(nextAttemptDelay(policy, 1, undefined, () => 1)).toBe(1000);
    expect(nextAttemptDelay(policy, 3, undefined, () => 1)).toBe(4000);
    expect(nextAttemptDelay(policy, 10, undefined, () => 1)).toBe(8000);
    expect(nextAttemptDelay(policy, 1, 30_000, () => 1)).toBe(30_000);
    expect(DEFAULT_BACKOFF.maxAttempts).toBeGreaterThan(5);
  });
});

for (const backend of BACKENDS) {
  describe(`delivery worker (${backend.name})`, async () => {
    const available = await backendAvailable(backend);
    let store: Store;
    beforeAll(async () => {
      if (available) store = await backend.open();
    });
    afterAll(async () => {
      await store?.close();
    });

    async function conversationWithRows(n: number, channel: string) {
      const customer = await store.customers.save({ channel: 'web' });
      const { conversation } = await store.conversations.openInThread({ customerId: customer.id, channel: 'web', threadKey: 'web' });
      for (let i = 0; i < n; i++) {
        await store.conversations.append({ conversationId: conversation.id, author: 'bot', content: { type: 'text', text: `m${i + 1}` } }, [{ channel, payload: { type: 'message' } }]);
      }
      return conversation;
    }

    const until = async (check: () => Promise<boolean> | boolean, what: string) => {
      const deadline = Date.now() + 10_000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    it.skipIf(!available)('delivers a conversation in order, retries a flaky platform, and fails for good on a permanent error', async () => {
      const delivered: string[] = [];
      let flaky = 2;
      const worker = new DeliveryWorker({ store, bus: new LocalBus(), log: pino({ level: 'silent' }), leaseMs: 5_000, pollMs: 50, backoff: { baseMs: 20, maxMs: 40, maxAttempts: 5 } });
      worker.register('ordered', {
        async deliver(item: OutboxItem) {
          if (flaky-- > 0) throw new DeliveryError('HTTP 503', true);
          const message = await store.conversations.message(item.messageId!);
          delivered.push(message!.content.type === 'text' ? message!.content.text : '?');
        },
      });
      worker.register('broken', {
        async deliver() {
          throw new DeliveryError('channel_not_found', false);
        },
      });
      const ordered = await conversationWithRows(4, 'ordered');
      const broken = await conversationWithRows(1, 'broken');
      worker.start();
      try {
        await until(() => delivered.length === 4, 'four deliveries');
        expect(delivered).toEqual(['m1', 'm2', 'm3', 'm4']);
        await until(async () => (await store.outbox.problems(broken.id)).some((p) => p.state === 'failed'), 'the failure recorded');
        const [problem] = await store.outbox.problems(broken.id);
        expect(problem).toMatchObject({ state: 'failed', lastError: 'channel_not_found', attempts: 1 });
        expect((await store.events.ofConversation(broken.id)).map((e) => e.type)).toContain('delivery_failed');
        expect(await store.outbox.problems(ordered.id)).toEqual([]);
      } finally {
        await worker.stop();
      }
    });

    it.skipIf(!available)('lets two workers share the table without sending a row twice', async () => {
      const seen = new Map<number, number>();
      const make = () => {
        const worker = new DeliveryWorker({ store, bus: new LocalBus(), log: pino({ level: 'silent' }), leaseMs: 5_000, pollMs: 20 });
        worker.register('shared', {
          async deliver(item: OutboxItem) {
            seen.set(item.id, (seen.get(item.id) ?? 0) + 1);
            await new Promise((resolve) => setTimeout(resolve, 2));
          },
        });
        return worker;
      };
      const conversations = await Promise.all(Array.from({ length: 10 }, () => conversationWithRows(3, 'shared')));
      const workers = [make(), make()];
      workers.forEach((w) => w.start());
      try {
        await until(async () => seen.size === 30 && (await Promise.all(conversations.map((c) => store.outbox.problems(c.id)))).every((p) => p.length === 0), '30 deliveries');
        // Stopped, both workers have finished whatever they had claimed: nothing more can arrive.
        await Promise.all(workers.map((w) => w.stop()));
        expect(seen.size).toBe(30);
        expect([...seen.values()].every((n) => n === 1)).toBe(true);
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
      }
    });
  });
}
