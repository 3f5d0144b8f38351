import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { DomainError } from '../../server/domain/errors';
import type { Database } from '../../server/store/schema';
import type { OutboxItem, Store } from '../../server/store/types';
import { BACKENDS, backendAvailable } from '../support/stores';

/** A question (client id `q-<text>`) and the bot's one-line answer, with one record event. */
const botTurn = (conversationId: string, text: string) => ({
  conversationId,
  channel: 'web' as const,
  botState: { misses: 0, tried: [text] },
  question: { content: { type: 'text' as const, text }, clientId: `q-${text}`, outbox: [] },
  messages: [{ author: 'bot' as const, content: { type: 'text' as const, text: `answer to ${text}` }, outbox: [] }],
  events: [{ type: 'bot_answered', data: { text } }],
});

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
      const customer = await store.customers.save({ channel: 'web', name: 'Ada', attributes: { plan: 'Business' } });
      return (await store.conversations.openInThread({ customerId: customer.id, channel: 'web', threadKey: 'web' })).conversation;
    };

    it.skipIf(!available)('numbers messages 1, 2, 3 … without gaps, even when appended concurrently', async () => {
      const c = await conversation();
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => store.conversations.append({ conversationId: c.id, author: 'customer', content: { type: 'text', text: `m${i}` } })),
      );
      expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      const listed = await store.conversations.listMessages(c.id);
      expect(listed.map((m) => m.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect((await store.conversations.listMessages(c.id, 35)).map((m) => m.seq)).toEqual([36, 37, 38, 39, 40]);
    });

    it.skipIf(!available)('stores a retried send (same clientId) once, also when the retries race', async () => {
      const c = await conversation();
      const send = () => store.conversations.append({ conversationId: c.id, author: 'customer', content: { type: 'text', text: 'hi' }, clientId: 'abc-1' });
      const results = await Promise.all([send(), send(), send()]);
      expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(await store.conversations.listMessages(c.id)).toHaveLength(1);
      // The losers' counter increments were rolled back: the next message is number 2.
      expect((await store.conversations.get(c.id))?.lastSeq).toBe(1);
      const next = await store.conversations.append({ conversationId: c.id, author: 'bot', content: { type: 'text', text: 'hello' } });
      expect(next.message.seq).toBe(2);
    });

    it.skipIf(!available)('refuses a message for a conversation that does not exist', async () => {
      await expect(store.conversations.append({ conversationId: 'no-such-conversation', author: 'customer', content: { type: 'text', text: 'hi' }, clientId: 'x' })).rejects.toThrow(/conversation/);
    });

    it.skipIf(!available)('lets exactly one of many concurrent claims win', async () => {
      const c = await conversation();
      const ticket = await store.tickets.create({
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
        Array.from({ length: 6 }, (_, i) => store.agents.create({ email: `a${i}-${c.id}@x.test`, name: `Agent ${i}`, role: 'agent', passwordHash: 'x' })),
      );
      const results = await Promise.all(agents.map((a) => store.tickets.claim(ticket.id, a.id)));
      expect(results.filter((r) => r?.ok)).toHaveLength(1);
      const winner = results.find((r) => r?.ok)!.ticket.assigneeId;
      expect((await store.tickets.get(ticket.id))?.assigneeId).toBe(winner);
    });

    it.skipIf(!available)('deduplicates processed event keys and counts rate-limit windows', async () => {
      expect(await store.limits.markProcessed('slack:Ev1')).toBe(true);
      expect(await store.limits.markProcessed('slack:Ev1')).toBe(false);
      const hits = await Promise.all(Array.from({ length: 5 }, () => store.limits.hit('visitor:v1', 60_000)));
      expect(hits.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    });

    it.skipIf(!available)('opens a thread\'s conversation once under a race, with exactly one conversation_started event', async () => {
      const customer = await store.customers.save({ channel: 'slack', name: 'Racer' });
      const open = () => store.conversations.openInThread({ customerId: customer.id, channel: 'slack', threadKey: 'C1:1.0' });
      const results = await Promise.all(Array.from({ length: 6 }, open));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const ids = new Set(results.map((r) => r.conversation.id));
      expect(ids.size).toBe(1);
      const [id] = [...ids];
      const started = (await store.events.ofConversation(id!)).filter((e) => e.type === 'conversation_started');
      expect(started).toHaveLength(1);
      expect(started[0]?.channel).toBe('slack');
    });

    it.skipIf(!available)('counts a rate-limit hit and finds the thread\'s newest conversation in one call', async () => {
      const customer = await store.customers.save({ channel: 'web', name: 'Counted' });
      const rate = { key: `rate:web:${customer.id}`, windowMs: 60_000 };
      const none = await store.conversations.inThreadCounting(customer.id, 'web', rate);
      expect(none).toEqual({ conversation: undefined, hits: 1 });
      const first = (await store.conversations.openInThread({ customerId: customer.id, channel: 'web', threadKey: 'web' })).conversation;
      const second = (await store.conversations.openInThread({ customerId: customer.id, channel: 'web', threadKey: 'web' }, first)).conversation;
      const found = await store.conversations.inThreadCounting(customer.id, 'web', rate);
      expect(found.hits).toBe(2);
      expect(found.conversation).toEqual(await store.conversations.get(second.id));
      expect(await store.limits.count(rate.key, rate.windowMs)).toBe(2);
    });

    it.skipIf(!available)('writes a question and the bot\'s turn together; a resent question (even racing) writes nothing more', async () => {
      const c = await conversation();
      const turn = (text: string) => botTurn(c.id, text);
      const first = await store.conversations.appendTurn(turn('one'));
      expect(first.duplicate).toBeUndefined();
      expect(first.messages.map((m) => [m.seq, m.author])).toEqual([[1, 'customer'], [2, 'bot']]);
      const results = await Promise.all([store.conversations.appendTurn(turn('two')), store.conversations.appendTurn(turn('two')), store.conversations.appendTurn(turn('two'))]);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      const winner = results.find((r) => !r.duplicate)!.messages[0]!;
      for (const r of results.filter((x) => x.duplicate)) expect(r.duplicate?.id).toBe(winner.id);
      const again = await store.conversations.appendTurn(turn('one'));
      expect(again.duplicate?.id).toBe(first.messages[0]!.id);
      const listed = await store.conversations.listMessages(c.id);
      expect(listed.map((m) => [m.seq, m.author])).toEqual([[1, 'customer'], [2, 'bot'], [3, 'customer'], [4, 'bot']]);
      expect((await store.events.ofConversation(c.id)).filter((e) => e.type === 'bot_answered')).toHaveLength(2);
      expect((await store.conversations.get(c.id))?.lastSeq).toBe(4);
    });

    it.skipIf(!available)('writes a follow-up turn with its rate-limit hit only within the limit and while the conversation is the version it was planned on', async () => {
      const c = await conversation();
      const rate = { key: `rate:web:${c.customerId}:current`, windowMs: 60_000, limit: 5 };
      const turn = (text: string) => botTurn(c.id, text);
      const first = await store.conversations.appendTurnIfCurrent(c, rate, turn('one'));
      expect(first?.hits).toBe(1);
      expect(first?.messages?.map((m) => [m.seq, m.author])).toEqual([[1, 'customer'], [2, 'bot']]);
      // Planned on the version before that write: only the hit counts.
      expect(await store.conversations.appendTurnIfCurrent(c, rate, turn('stale'))).toEqual({ hits: 2 });
      const now = (await store.conversations.get(c.id))!;
      expect(now.botState).toEqual({ misses: 0, tried: ['one'] });
      // The version as the writer knows it from its own write (seq and time of its last message).
      const written = { ...c, lastSeq: first!.messages!.at(-1)!.seq, updatedAt: first!.messages!.at(-1)!.createdAt };
      expect(written).toMatchObject({ lastSeq: now.lastSeq, updatedAt: now.updatedAt });
      // The same question again (a redelivery) is not written twice.
      expect(await store.conversations.appendTurnIfCurrent(written, rate, turn('one'))).toEqual({ hits: 3 });
      const second = await store.conversations.appendTurnIfCurrent(written, rate, turn('two'));
      expect(second?.messages?.map((m) => m.seq)).toEqual([3, 4]);
      const current = (await store.conversations.get(c.id))!;
      // Any field of the version differing (another state, an assignee) writes nothing.
      expect(await store.conversations.appendTurnIfCurrent({ ...current, state: 'queued' }, rate, turn('three'))).toEqual({ hits: 5 });
      expect(await store.conversations.appendTurnIfCurrent({ ...current, assigneeId: 'someone' }, rate, turn('three'))).toEqual({ hits: 6 });
      // Over the limit: nothing but the hit, even at the current version.
      expect(await store.conversations.appendTurnIfCurrent(current, rate, turn('three'))).toEqual({ hits: 7 });
      // Racing at the same version: one writes, the others only count.
      const raced = await Promise.all(['a', 'b', 'c'].map((t) => store.conversations.appendTurnIfCurrent(current, { ...rate, limit: 100 }, turn(t))));
      expect(raced.filter((r) => r?.messages)).toHaveLength(1);
      const listed = await store.conversations.listMessages(c.id);
      expect(listed.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await store.events.ofConversation(c.id)).filter((e) => e.type === 'bot_answered')).toHaveLength(3);
      expect(await store.limits.count(rate.key, rate.windowMs)).toBe(10);
    });

    // SQLite runs these two outside kysely on the shared connection: they must never land inside
    // a transaction another caller holds open (and be rolled back with it).
    it.skipIf(!available)('keeps a turn and a rate-limit hit made while another caller\'s transaction is open, when that one rolls back', async () => {
      const c = await conversation();
      const { db } = store as Store & { db: Kysely<Database> };
      const rate = { key: `rate:web:${c.customerId}:rollback`, windowMs: 60_000 };
      let turn!: ReturnType<Store['conversations']['appendTurn']>;
      let intake!: ReturnType<Store['conversations']['inThreadCounting']>;
      const rolledBack = db.transaction().execute(async (trx) => {
        await trx.insertInto('events').values({ type: 'doomed', conversation_id: c.id, ticket_id: null, channel: 'web', agent_id: null, data: '{}', created_at: new Date().toISOString() }).execute();
        turn = store.conversations.appendTurn({ conversationId: c.id, channel: 'web', botState: { misses: 0, tried: [] }, question: { content: { type: 'text', text: 'hi' }, clientId: 'q-rb', outbox: [] }, messages: [{ author: 'bot', content: { type: 'text', text: 'hello' }, outbox: [] }], events: [] });
        intake = store.conversations.inThreadCounting(c.customerId, 'web', rate);
        await new Promise((r) => setTimeout(r, 20));
        throw new Error('roll back');
      });
      await expect(rolledBack).rejects.toThrow('roll back');
      expect((await turn).messages.map((m) => m.seq)).toEqual([1, 2]);
      expect((await intake).hits).toBe(1);
      expect((await store.conversations.listMessages(c.id)).map((m) => m.seq)).toEqual([1, 2]);
      expect(await store.limits.count(rate.key, rate.windowMs)).toBe(1);
      expect((await store.events.ofConversation(c.id)).some((e) => e.type === 'doomed')).toBe(false);
    });

    // A rate-limit hit commits without waiting for the WAL flush on PostgreSQL; that must end
    // with its own statement, or every later write on the pooled connection (customers'
    // messages) would lose its durability too.
    it.skipIf(!available || backend.name !== 'postgres')('keeps the connections\' commits durable after rate-limit hits', async () => {
      const { db } = store as Store & { db: Kysely<Database> };
      const c = await conversation();
      // More at once than the pool has connections, so every connection runs the intake.
      await Promise.all(Array.from({ length: 25 }, (_, i) => store.conversations.inThreadCounting(c.customerId, 'web', { key: `rate:web:${c.customerId}:durable${i}`, windowMs: 60_000 })));
      const modes = await Promise.all(Array.from({ length: 25 }, () => sql<{ mode: string }>`select current_setting('synchronous_commit') as mode, pg_sleep(0.01)`.execute(db)));
      expect(new Set(modes.map((r) => r.rows[0]?.mode))).toEqual(new Set(['on']));
    });

    // The per-message statements are prepared once per connection; a migration that adds a
    // column while an older instance runs must not break them (PostgreSQL: "cached plan must
    // not change result type" for a prepared `select *`).
    it.skipIf(!available)('keeps taking messages after columns are added to conversations and messages', async () => {
      const { db } = store as Store & { db: Kysely<Database> };
      const cs = await Promise.all(Array.from({ length: 12 }, () => conversation()));
      const step = (i: number) => Promise.all(cs.map(async (c) => {
        await store.conversations.inThreadCounting(c.customerId, 'web', { key: `rate:web:${c.customerId}:mig`, windowMs: 60_000 });
        return store.conversations.appendTurn({ conversationId: c.id, channel: 'web', botState: { misses: 0, tried: [] }, question: { content: { type: 'text', text: `q${i}` }, clientId: `mig-${i}`, outbox: [] }, messages: [{ author: 'bot', content: { type: 'text', text: `a${i}` }, outbox: [] }], events: [] });
      }));
      await step(1);
      await db.schema.alterTable('conversations').addColumn('later_added', 'text').execute();
      await db.schema.alterTable('messages').addColumn('later_added', 'text').execute();
      const after = await step(2);
      expect(after.map((r) => r.messages.map((m) => m.seq))).toEqual(cs.map(() => [3, 4]));
    });

    it.skipIf(!available)('keeps one survey answer per conversation and kind', async () => {
      const c = await conversation();
      const s = { conversationId: c.id, channel: 'web' as const, kind: 'ces' as const, score: 6, humanInvolved: false };
      expect(await store.surveys.record(s)).toBe(true);
      expect(await store.surveys.record({ ...s, score: 1 })).toBe(false);
      const listed = await store.surveys.list({ from: '2000-01-01', to: '2999-01-01' });
      expect(listed.filter((x) => x.conversationId === c.id).map((x) => x.score)).toEqual([6]);
    });

    it.skipIf(!available)('sets CSAT on the CES survey once: the first answer wins, bad scores are refused', async () => {
      const c = await conversation();
      const listed = async () => (await store.surveys.list({ from: '2000-01-01', to: '2999-01-01' })).filter((x) => x.conversationId === c.id);
      // CSAT follows CES: with no CES answer there is nothing to attach it to.
      expect(await store.surveys.recordCsat(c.id, 5)).toBe(false);
      await store.surveys.record({ conversationId: c.id, channel: 'web', kind: 'ces', score: 6, humanInvolved: true });
      expect((await listed())[0]?.csat).toBeNull();
      for (const bad of [0, 6, -1, 2.5, Number.NaN, '5' as unknown as number]) {
        const err = await store.surveys.recordCsat(c.id, bad).catch((e: unknown) => e);
        expect(err, String(bad)).toBeInstanceOf(DomainError);
        expect(err).toMatchObject({ kind: 'invalid', code: 'invalid_score' });
      }
      // Two answers racing (double click, two instances): exactly one is stored.
      const raced = await Promise.all([store.surveys.recordCsat(c.id, 5), store.surveys.recordCsat(c.id, 2)]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      const winner = raced[0] ? 5 : 2;
      expect(await store.surveys.recordCsat(c.id, 1)).toBe(false);
      expect(await listed()).toEqual([expect.objectContaining({ kind: 'ces', score: 6, csat: winner, humanInvolved: true })]);
    });

    it.skipIf(!available)('refuses an out-of-range CSAT in the database too', async () => {
      const c = await conversation();
      await store.surveys.record({ conversationId: c.id, channel: 'web', kind: 'ces', score: 6, humanInvolved: false });
      // Past the store's own check: the migration's CHECK constraint is the last line.
      const { db } = store as Store & { db: Kysely<Database> };
      await expect(db.updateTable('surveys').set({ csat: 9 }).where('conversation_id', '=', c.id).execute()).rejects.toThrow(/check/i);
    });

    it.skipIf(!available)('round-trips structured content, customer attributes and bot state', async () => {
      const c = await conversation();
      const content = { type: 'article' as const, articleId: 'a', title: '<b>T</b> “é” 😀', summary: 'x', url: '/help/articles/a', askFeedback: true };
      await store.conversations.append({ conversationId: c.id, author: 'bot', content });
      expect((await store.conversations.listMessages(c.id))[0]?.content).toEqual(content);
      expect((await store.customers.get(c.customerId))?.attributes).toEqual({ plan: 'Business' });
      const updated = await store.conversations.update(c.id, { botState: { misses: 1, tried: ['article:a'] }, state: 'queued' });
      expect(updated.botState).toEqual({ misses: 1, tried: ['article:a'] });
      expect(updated.state).toBe('queued');
    });

    it.skipIf(!available)('expires sessions and finds agents case-insensitively', async () => {
      const agent = await store.agents.create({ email: 'Lead@Example.test', name: 'Lead', role: 'admin', passwordHash: 'x' });
      expect((await store.agents.byEmail('lead@example.test'))?.id).toBe(agent.id);
      const live = await store.agents.createSession(agent.id, 60_000);
      const dead = await store.agents.createSession(agent.id, -1);
      expect((await store.agents.getSession(live.id))?.agent.id).toBe(agent.id);
      expect(await store.agents.getSession(dead.id)).toBeUndefined();
      await store.agents.deleteSession(live.id);
      expect(await store.agents.getSession(live.id)).toBeUndefined();
    });

    it.skipIf(!available)('creates a new platform member once, however many first messages race', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => store.customers.ensure('slack', 'U_RACE', { name: 'Racer' })));
      expect(new Set(results.map((c) => c.id)).size).toBe(1);
      expect((await store.customers.findByExternalId('slack', 'U_RACE'))?.name).toBe('Racer');
    });

    it.skipIf(!available)("opens a thread's conversation once, and its next generation once, under races", async () => {
      const customer = await store.customers.ensure('msteams', 'aad-thread');
      const input = { customerId: customer.id, channel: 'msteams' as const, threadKey: 'a:chat-1', channelRef: { serviceUrl: 'x' } };
      const first = await Promise.all(Array.from({ length: 6 }, () => store.conversations.openInThread(input)));
      expect(new Set(first.map((r) => r.conversation.id)).size).toBe(1);
      expect(first.filter((r) => r.created)).toHaveLength(1);
      const current = first[0]!.conversation;
      expect((await store.conversations.inThread(customer.id, 'a:chat-1'))?.id).toBe(current.id);
      await store.conversations.update(current.id, { state: 'resolved' });
      const next = await Promise.all(Array.from({ length: 6 }, () => store.conversations.openInThread(input, current)));
      expect(new Set(next.map((r) => r.conversation.id)).size).toBe(1);
      expect(next[0]!.conversation.generation).toBe(2);
      expect((await store.conversations.inThread(customer.id, 'a:chat-1'))?.id).toBe(next[0]!.conversation.id);
      expect(await store.conversations.inThread(customer.id, 'a:other')).toBeUndefined();
    });

    it.skipIf(!available)('writes outbox rows with the message, atomically, and never for a duplicate', async () => {
      const c = await conversation();
      const before = await store.outbox.pending();
      const item = { channel: 'slack', payload: { type: 'message' } };
      await Promise.all([1, 2, 3].map(() => store.conversations.append({ conversationId: c.id, author: 'bot', content: { type: 'text', text: 'x' }, clientId: 'dup-1' }, [item])));
      expect((await store.outbox.pending()) - before).toBe(1);
      await expect(store.conversations.append({ conversationId: 'missing', author: 'bot', content: { type: 'text', text: 'x' } }, [item])).rejects.toThrow();
      expect((await store.outbox.pending()) - before).toBe(1);
    });

    it.skipIf(!available)('leases outbox rows to one worker at a time, in order per conversation, and frees expired leases', async () => {
      const c = await conversation();
      const d = await conversation();
      for (const conv of [c, c, d]) await store.conversations.append({ conversationId: conv.id, author: 'bot', content: { type: 'text', text: 'x' } }, [{ channel: 'lease-test', payload: { type: 'message' } }]);
      const mine = (items: OutboxItem[]) => items.filter((i) => i.channel === 'lease-test');
      const [a, b] = await Promise.all([store.outbox.claim('A', 60_000, 50), store.outbox.claim('B', 60_000, 50)]);
      const claimed = [...mine(a), ...mine(b)];
      // c's second row waits for its first: two rows out, one per conversation.
      expect(claimed.map((i) => i.conversationId).sort()).toEqual([c.id, d.id].sort());
      expect(mine(await store.outbox.claim('C', 60_000, 50))).toEqual([]);
      const first = claimed.find((i) => i.conversationId === c.id)!;
      const owner = mine(a).includes(first) ? 'A' : 'B';
      expect(await store.outbox.markSent(first.id, 'someone-else')).toBe(false);
      expect(await store.outbox.markSent(first.id, owner)).toBe(true);
      const second = mine(await store.outbox.claim('C', 1, 50));
      expect(second.map((i) => i.conversationId)).toEqual([c.id]);
      expect(second[0]!.id).toBeGreaterThan(first.id);
      // C's 1 ms lease runs out: the row is anyone's again, with its attempts counted.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const again = mine(await store.outbox.claim('D', 60_000, 50)).filter((i) => i.conversationId === c.id);
      expect(again.map((i) => [i.id, i.attempts])).toEqual([[second[0]!.id, 2]]);
      expect(await store.outbox.fail(again[0]!.id, 'D', 'channel_not_found')).toBe(true);
      expect((await store.outbox.problems(c.id)).map((i) => [i.state, i.lastError])).toEqual([['failed', 'channel_not_found']]);
    });

    it.skipIf(!available)('finds tickets by id prefix and conversations by link, without scans', async () => {
      const c = await conversation();
      const ticket = await store.tickets.create({ conversationId: c.id, customerId: c.customerId, channel: 'web', priority: 'normal', subject: 's', reason: 'r', tags: [], attempts: [], firstResponseDueAt: new Date().toISOString() });
      expect((await store.tickets.byIdPrefix(ticket.id.slice(0, 8))).map((t) => t.id)).toContain(ticket.id);
      expect(await store.tickets.byIdPrefix("x' or 1=1")).toEqual([]);
      await store.conversations.link('slack-notice:C1:1.2', c.id, ticket.id);
      await store.conversations.link('slack-notice:C1:1.2', 'other', null);
      expect(await store.conversations.byLink('slack-notice:C1:1.2')).toEqual({ conversationId: c.id, ticketId: ticket.id });
      expect(await store.conversations.byLink('slack-notice:C1:9.9')).toBeUndefined();
    });
  });
}
