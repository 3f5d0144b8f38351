import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../server/errors';
import type { KyselyStore } from '../../server/store/kysely-store';
import type { Store } from '../../server/store/types';
import { BACKENDS, backendAvailable } from '../support/stores';

/** One suite, both backends: the storage contract the rest of the server relies on. */
for (const backend of BACKENDS) {
  describe(`store (${backend.name})`, async () => {
    const available = await backendAvailable(backend);
    let store: Store;
    beforeAll(async () => {
      if (available) store = await backend.open();
    });
    afterAll(async () => {
      await store?.close();
    });

    const conversation = async () => {
      const customer = await store.upsertCustomer({ channel: 'web', name: 'Ada', attributes: { plan: 'Business' } });
      return store.createConversation({ customerId: customer.id, channel: 'web' });
    };

    it.skipIf(!available)('numbers messages 1, 2, 3 … without gaps, even when appended concurrently', async () => {
      const c = await conversation();
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => store.appendMessage({ conversationId: c.id, author: 'customer', content: { type: 'text', text: `m${i}` } })),
      );
      expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      const listed = await store.listMessages(c.id);
      expect(listed.map((m) => m.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect((await store.listMessages(c.id, 35)).map((m) => m.seq)).toEqual([36, 37, 38, 39, 40]);
    });

    it.skipIf(!available)('stores a retried send (same clientId) once, also when the retries race', async () => {
      const c = await conversation();
      const send = () => store.appendMessage({ conversationId: c.id, author: 'customer', content: { type: 'text', text: 'hi' }, clientId: 'abc-1' });
      const results = await Promise.all([send(), send(), send()]);
      expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(await store.listMessages(c.id)).toHaveLength(1);
      // The losers' counter increments were rolled back: the next message is number 2.
      expect((await store.getConversation(c.id))?.lastSeq).toBe(1);
      const next = await store.appendMessage({ conversationId: c.id, author: 'bot', content: { type: 'text', text: 'hello' } });
      expect(next.message.seq).toBe(2);
    });

    it.skipIf(!available)('refuses a message for a conversation that does not exist', async () => {
      await expect(store.appendMessage({ conversationId: 'no-such-conversation', author: 'customer', content: { type: 'text', text: 'hi' }, clientId: 'x' })).rejects.toThrow(/conversation/);
    });

    it.skipIf(!available)('lets exactly one of many concurrent claims win', async () => {
      const c = await conversation();
      const ticket = await store.createTicket({
        conversationId: c.id,
        customerId: c.customerId,
        channel: 'web',
        priority: 'normal',
        subject: 's',
        reason: 'customer_asked',
        tags: [],
        attempts: [],
        firstResponseDueAt: new Date().toISOString(),
      });
      const agents = await Promise.all(
        Array.from({ length: 6 }, (_, i) => store.createAgent({ email: `a${i}-${c.id}@x.test`, name: `Agent ${i}`, role: 'agent', passwordHash: 'x' })),
      );
      const results = await Promise.all(agents.map((a) => store.claimTicket(ticket.id, a.id)));
      expect(results.filter((r) => r?.ok)).toHaveLength(1);
      const winner = results.find((r) => r?.ok)!.ticket.assigneeId;
      expect((await store.getTicket(ticket.id))?.assigneeId).toBe(winner);
    });

    it.skipIf(!available)('deduplicates processed event keys and counts rate-limit windows', async () => {
      expect(await store.markProcessed('slack:Ev1')).toBe(true);
      expect(await store.markProcessed('slack:Ev1')).toBe(false);
      const hits = await Promise.all(Array.from({ length: 5 }, () => store.hitRateLimit('visitor:v1', 60_000)));
      expect(hits.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    });

    it.skipIf(!available)('keeps one survey answer per conversation and kind', async () => {
      const c = await conversation();
      const s = { conversationId: c.id, channel: 'web' as const, kind: 'ces' as const, score: 6, humanInvolved: false };
      expect(await store.recordSurvey(s)).toBe(true);
      expect(await store.recordSurvey({ ...s, score: 1 })).toBe(false);
      const listed = await store.listSurveys({ from: '2000-01-01', to: '2999-01-01' });
      expect(listed.filter((x) => x.conversationId === c.id).map((x) => x.score)).toEqual([6]);
    });

    it.skipIf(!available)('sets CSAT on the CES survey once: the first answer wins, bad scores are refused', async () => {
      const c = await conversation();
      const listed = async () => (await store.listSurveys({ from: '2000-01-01', to: '2999-01-01' })).filter((x) => x.conversationId === c.id);
      // CSAT follows CES: with no CES answer there is nothing to attach it to.
      expect(await store.recordCsat(c.id, 5)).toBe(false);
      await store.recordSurvey({ conversationId: c.id, channel: 'web', kind: 'ces', score: 6, humanInvolved: true });
      expect((await listed())[0]?.csat).toBeNull();
      for (const bad of [0, 6, -1, 2.5, Number.NaN, '5' as unknown as number]) {
        const err = await store.recordCsat(c.id, bad).catch((e: unknown) => e);
        expect(err, String(bad)).toBeInstanceOf(HttpError);
        expect(err).toMatchObject({ status: 400, code: 'invalid_score' });
      }
      // Two answers racing (double click, two instances): exactly one is stored.
      const raced = await Promise.all([store.recordCsat(c.id, 5), store.recordCsat(c.id, 2)]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      const winner = raced[0] ? 5 : 2;
      expect(await store.recordCsat(c.id, 1)).toBe(false);
      expect(await listed()).toEqual([expect.objectContaining({ kind: 'ces', score: 6, csat: winner, humanInvolved: true })]);
    });

    it.skipIf(!available)('refuses an out-of-range CSAT in the database too', async () => {
      const c = await conversation();
      await store.recordSurvey({ conversationId: c.id, channel: 'web', kind: 'ces', score: 6, humanInvolved: false });
      // Past the store's own check: the migration's CHECK constraint is the last line.
      const { db } = store as KyselyStore;
      await expect(db.updateTable('surveys').set({ csat: 9 }).where('conversation_id', '=', c.id).execute()).rejects.toThrow(/check/i);
    });

    it.skipIf(!available)('round-trips structured content, customer attributes and bot state', async () => {
      const c = await conversation();
      const content = { type: 'article' as const, articleId: 'a', title: '<b>T</b> “é” 😀', summary: 'x', url: '/help/articles/a', askFeedback: true };
      await store.appendMessage({ conversationId: c.id, author: 'bot', content });
      expect((await store.listMessages(c.id))[0]?.content).toEqual(content);
      expect((await store.getCustomer(c.customerId))?.attributes).toEqual({ plan: 'Business' });
      const updated = await store.updateConversation(c.id, { botState: { misses: 1, tried: ['article:a'] }, state: 'queued' });
      expect(updated.botState).toEqual({ misses: 1, tried: ['article:a'] });
      expect(updated.state).toBe('queued');
    });

    it.skipIf(!available)('expires sessions and finds agents case-insensitively', async () => {
      const agent = await store.createAgent({ email: 'Lead@Example.test', name: 'Lead', role: 'admin', passwordHash: 'x' });
      expect((await store.getAgentByEmail('lead@example.test'))?.id).toBe(agent.id);
      const live = await store.createSession(agent.id, 60_000);
      const dead = await store.createSession(agent.id, -1);
      expect((await store.getSession(live.id))?.agent.id).toBe(agent.id);
      expect(await store.getSession(dead.id)).toBeUndefined();
      await store.deleteSession(live.id);
      expect(await store.getSession(live.id)).toBeUndefined();
    });
  });
}
