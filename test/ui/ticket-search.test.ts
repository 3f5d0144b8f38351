import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/types';
import { BACKENDS, backendAvailable } from '../support/stores';
import { seedTicket } from '../support/tickets';

/**
 * The console's full-text ticket search (migration 010), one specification for both backends:
 * every case below must give the same answer on SQLite (FTS5) and PostgreSQL (tsvector + GIN).
 */
for (const backend of BACKENDS) {
  describe(`ticket search (${backend.name})`, async () => {
    const available = await backendAvailable(backend);
    let store: Store;
    const t: Record<string, string> = {};
    beforeAll(async () => {
      if (!available) return;
      store = await backend.open();
      t.grace = await ticketFor('Grace Hopper', 'grace@navy.test', 'Invoice is wrong', ['My invoice shows the wrong VAT number']);
      t.alan = await ticketFor('Alan Turing', 'alan@bletchley.test', 'Cannot sign in', ['The 2FA code is rejected', 'Tried 100% of my codes_now']);
      t.zoe = await ticketFor('Zoë Müller', 'zoe@example.test', 'Réclamation', ['La facture de décembre est fausse']);
      // Newest: a message mentions an invoice, the subject does not.
      t.bob = await ticketFor('Bob', 'bob@example.test', 'Question', ['Where do I download my invoice?'], 'bot');
    });
    afterAll(async () => {
      await store?.close();
    });

    const ticketFor = async (name: string, email: string, subject: string, texts: string[], via: 'append' | 'bot' = 'append') =>
      (await seedTicket(store, { name, email, subject, texts, via })).id;
    const search = (q: string) => store.ui.searchTickets(q);

    it.skipIf(!available)('finds every word in subject, messages, name or email, any case', async () => {
      expect(await search('VAT number')).toEqual([t.grace]);
      expect(await search('2fa REJECTED')).toEqual([t.alan]);
      expect(await search('turing')).toEqual([t.alan]);
      expect(await search('grace@navy')).toEqual([t.grace]);
      expect(await search('codes_now')).toEqual([t.alan]);
      expect(await search('100%')).toEqual([t.alan]);
      // Words across fields: a name and a message word.
      expect(await search('alan rejected')).toEqual([t.alan]);
      expect(await search('invoice turing')).toEqual([]);
      // The bot's turn indexes the question and the answer.
      expect(await search('download')).toEqual([t.bob]);
      expect(await search('here found')).toEqual([t.bob]);
    });

    it.skipIf(!available)('is word-based: a word inside another word is not a match, the last word is a prefix', async () => {
      expect(await search('voice')).toEqual([]);
      expect(await search('rejec')).toEqual([t.alan]);
      expect(await search('rejected cod')).toEqual([t.alan]);
      // Only the last word is a prefix.
      expect(await search('rejec code')).toEqual([]);
    });

    it.skipIf(!available)('ignores accents both ways', async () => {
      expect(await search('reclamation')).toEqual([t.zoe]);
      expect(await search('DÉCEMBRE')).toEqual([t.zoe]);
      expect(await search('zoe muller')).toEqual([t.zoe]);
    });

    it.skipIf(!available)('ranks a match in subject, name or email above one only in messages, then newest first', async () => {
      // Grace's subject says "invoice"; Bob (newer) only mentions it in a message.
      expect(await search('invoice')).toEqual([t.grace, t.bob]);
      expect(await search('example')).toEqual([t.bob, t.zoe]);
    });

    it.skipIf(!available)('follows a renamed customer, a retitled ticket and later messages', async () => {
      const ticket = (await store.tickets.get(t.alan!))!;
      await store.customers.save({ id: ticket.customerId, channel: 'web', name: 'Alan M. Turing', email: 'alan@manchester.test' });
      expect(await search('manchester')).toEqual([t.alan]);
      expect(await search('bletchley')).toEqual([]);
      await store.tickets.update(t.alan!, { subject: 'Enigma settings lost' });
      expect(await search('enigma')).toEqual([t.alan]);
      expect(await search('cannot sign')).toEqual([]);
      await store.conversations.append({ conversationId: ticket.conversationId, author: 'agent', content: { type: 'text', text: 'Try the Bombe' } });
      expect(await search('bombe')).toEqual([t.alan]);
      // JSON keys around the words are not content.
      expect(await search('type')).toEqual([]);
    });

    it.skipIf(!available)('answers hostile input with a plain result, never an error', async () => {
      const hostile = ['"', '*', '"*', 'NEAR(', 'NEAR(invoice wrong', '-invoice', 'invoice -wrong', ':', 'head:invoice', '{head}: x', 'a & b | !c', "'", "o'brien", '\\', '\u0000', 'invoice\u0000', '(((', ')', '^', 'AND', 'OR NOT', '%', '_', "'':*", '😀', 'x'.repeat(5000), 'a '.repeat(500)];
      for (const q of hostile) expect(Array.isArray(await search(q)), q).toBe(true);
      expect(await search('%')).toEqual([]);
      expect(await search('   ')).toEqual([]);
      expect(await search('"invoice"')).toEqual(await search('invoice'));
      expect(await search('-invoice')).toEqual(await search('invoice'));
      expect(await search('NEAR(invoice')).toEqual([]);
    });
  });
}
