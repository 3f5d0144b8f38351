import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEmail } from '../../server/store/email';
import type { Store } from '../../server/store/types';
import { BACKENDS, backendAvailable } from '../support/stores';

const mail = (messageId: string, over: Partial<StoredEmail> = {}): Omit<StoredEmail, 'createdAt'> => ({
  messageId,
  direction: 'in',
  conversationId: null,
  chatMessageId: null,
  from: 'a@example.com',
  to: ['support@example.com'],
  subject: 'Hi',
  text: 'hello',
  html: null,
  attachments: [],
  size: 5,
  via: 'smtp',
  outcome: 'received',
  ...over,
});

/** The email storage contract (migration 004), both backends. */
for (const backend of BACKENDS) {
  describe(`email store (${backend.name})`, async () => {
    const available = await backendAvailable(backend);
    let store: Store;
    beforeAll(async () => {
      if (available) store = await backend.open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it.skipIf(!available)('stores a mail once per Message-ID, also when both paths race', async () => {
      const results = await Promise.all([store.email.record(mail('race-1@x')), store.email.record(mail('race-1@x', { via: 'imap' })), store.email.record(mail('race-1@x'))]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.email.via)).size).toBe(1);
      await store.email.settle('race-1@x', 'stored', { conversationId: 'c-1', chatMessageId: 'm-1' });
      expect(await store.email.byChatMessage('m-1')).toMatchObject({ messageId: 'race-1@x', outcome: 'stored', conversationId: 'c-1' });
      expect(await store.email.isOurs('race-1@x')).toBe(false);
      await store.email.record(mail('ours-1@reply.x', { direction: 'out', outcome: 'sent' }));
      expect(await store.email.isOurs('ours-1@reply.x')).toBe(true);
    });

    it.skipIf(!available)('moves a conversation\'s emailed mark only from where the caller saw it (one winner of two)', async () => {
      expect(await store.email.thread('conv-a')).toMatchObject({ emailedSeq: 0, sent: 0, refs: [] });
      const [x, y] = await Promise.all([store.email.advance('conv-a', 0, 3, { ref: '<r1@x>', subject: 'S' }), store.email.advance('conv-a', 0, 4, { ref: '<r2@x>', subject: 'T' })]);
      expect([x, y].filter(Boolean)).toHaveLength(1);
      const t = await store.email.thread('conv-a');
      expect([3, 4]).toContain(t.emailedSeq);
      expect(t.sent).toBe(1);
      expect(await store.email.advance('conv-a', 0, 9)).toBe(false);
      expect(await store.email.advance('conv-a', t.emailedSeq, 9)).toBe(true);
      expect(await store.email.thread('conv-a')).toMatchObject({ emailedSeq: 9, sent: 1 });
    });

    it.skipIf(!available)('counts a widget as online only while its instance is alive, across instances', async () => {
      const p = store.email.presence;
      await p.heartbeat('i-1', new Date(Date.now() + 60_000));
      await p.heartbeat('i-2', new Date(Date.now() - 1_000)); // lapsed: a killed instance
      expect(await p.online('cust-1')).toBe(false);
      await p.connected('cust-1', 'i-2');
      expect(await p.online('cust-1')).toBe(false);
      await p.connected('cust-1', 'i-1');
      await p.connected('cust-1', 'i-1');
      expect(await p.online('cust-1')).toBe(true);
      await p.disconnected('cust-1', 'i-1');
      expect(await p.online('cust-1')).toBe(true);
      await p.disconnected('cust-1', 'i-1');
      expect(await p.online('cust-1')).toBe(false);
      await p.connected('cust-1', 'i-1');
      await p.leave('i-1');
      expect(await p.online('cust-1')).toBe(false);
    });
  });
}
