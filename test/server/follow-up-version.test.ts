import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerdesk, type Answerdesk } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { Inbound } from '../../server/domain/inbound';
import type { Store } from '../../server/store/types';
import { bundleFor, FIXTURE_KB_DIR } from '../support/fixtures';
import { BACKENDS, backendAvailable } from '../support/stores';

/**
 * A follow-up is planned on the conversation as the instance that answered last saw it
 * (`server/conversations/recent.ts`) and written only if nothing changed it since. Two
 * instances over one database, each with its own memory of the thread: whichever answered
 * last, every question is stored and answered once, in order, and once a person leads, the
 * bot stays quiet on every instance — not even a "typing".
 */
for (const backend of BACKENDS) {
  describe(`follow-ups planned on a remembered conversation (${backend.name})`, async () => {
    const available = await backendAvailable(backend);
    let store: Store;
    let a: Answerdesk;
    let b: Answerdesk;

    beforeAll(async () => {
      if (!available) return;
      store = await backend.open();
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: mkdtempSync(join(tmpdir(), 'answerdesk-followup-')), BUSINESS_HOURS: 'Mon-Sun 00:00-24:00' });
      const open = () => createAnswerdesk({ config, log: pino({ level: 'silent' }), store, bundle: bundleFor(FIXTURE_KB_DIR) });
      a = await open();
      b = await open();
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await store?.close();
    });

    let n = 0;
    const ask = (desk: Answerdesk, customerId: string, text: string) => {
      const inbound: Inbound = { channel: 'web', sender: { customerId }, threadKey: 'web', mayStart: true, body: { type: 'text', text }, platformId: `p-${++n}`, receivedAt: new Date() };
      return desk.service.receive(inbound);
    };
    const transcript = async (conversationId: string) => (await store.conversations.listMessages(conversationId)).map((m) => [m.seq, m.author]);

    it.skipIf(!available)('answers each question once, in order, whichever instance answered last; and not at all once a person leads', async () => {
      const customer = await store.customers.save({ channel: 'web', name: 'Two instances' });
      const first = await ask(a, customer.id, 'How do I reset my password?');
      if (first.kind !== 'stored') throw new Error(`not stored: ${first.kind}`);
      const id = first.conversationId;
      await ask(a, customer.id, 'and how do I cancel my subscription?');
      // B answers the third; A still remembers the conversation as of the second.
      await ask(b, customer.id, 'what is your refund policy?');
      const fourth = await ask(a, customer.id, 'how do I create an API token?');
      expect(fourth).toMatchObject({ kind: 'stored', conversationId: id, duplicate: false });
      expect(await transcript(id)).toEqual([[1, 'customer'], [2, 'bot'], [3, 'customer'], [4, 'bot'], [5, 'customer'], [6, 'bot'], [7, 'customer'], [8, 'bot']]);

      // A person takes the conversation (here straight in the store, as another instance would).
      await store.conversations.update(id, { state: 'queued' });
      // A still remembers it bot-led; its attempt fails the version check, and no "bot is typing" shows meanwhile.
      const typing: string[] = [];
      const unsubscribe = a.bus.subscribe((event) => event.type === 'typing' && typing.push(event.author));
      for (const desk of [a, b, a]) await ask(desk, customer.id, 'are you there?');
      unsubscribe();
      expect(typing).toEqual([]);
      const after = (await store.conversations.listMessages(id)).slice(8);
      expect(after.map((m) => m.author)).toEqual(['customer', 'customer', 'customer']);
      expect((await store.conversations.get(id))?.state).toBe('queued');
    });
  });
}
