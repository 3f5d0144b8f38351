import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../server/channels/web/protocol';
import { dropSchema, freshSchema, postgresRequiredInCi } from '../support/stores';
import { WidgetClient } from '../support/widget-client';
import { type KbInstance, startKbInstance } from './instances';

const available = await postgresRequiredInCi('knowledge publishing across instances');

async function ask(url: string, text: string): Promise<{ client: WidgetClient; reply: ChatMessage }> {
  const client = new WidgetClient(url);
  await client.session();
  await client.connect();
  client.say(text);
  const reply = await client.waitForMessage((m) => m.author === 'bot', 10_000);
  return { client, reply };
}

const articleOf = (m: ChatMessage) => (m.content.type === 'article' ? m.content.articleId : null);

describe.skipIf(!available)('publish is live on every instance (PostgreSQL, two instances)', () => {
  const schema = freshSchema();
  let a: KbInstance;
  let b: KbInstance;
  beforeAll(async () => {
    a = await startKbInstance(schema);
    b = await startKbInstance(schema);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await dropSchema(schema);
  });

  it('an uncovered question reaches the inbox; the article created from it answers it on the other instance, no restart', async () => {
    const question = 'Can I import my projects from Trello?';
    const first = await ask(a.url, question);
    expect(articleOf(first.reply)).toBeNull();
    first.client.close();

    const inbox = (await (await a.api('/api/knowledge/inbox')).json()) as { items: { key: string; text: string; kinds: Record<string, number>; status: string; conversations: { id: string }[] }[] };
    const item = inbox.items.find((i) => i.text === question);
    expect(item?.kinds.fallback).toBe(1);
    expect(item?.status).toBe('open');
    expect(item?.conversations[0]?.id).toBe(first.client.conversationId);

    const draft = (await (await a.api('/api/knowledge/inbox/draft', { method: 'POST', body: JSON.stringify({ key: item!.key }) })).json()) as { slug: string; content: Record<string, unknown> };
    expect(draft.content.phrasings).toEqual([question]);
    const created = await a.api('/api/knowledge/articles', {
      method: 'POST',
      body: JSON.stringify({
        slug: 'import-from-trello',
        inboxKey: item!.key,
        publish: true,
        content: { ...draft.content, title: 'Import projects from Trello', category: 'integrations', tags: ['trello', 'import'], summary: 'Settings → Import → Trello brings boards, lists and cards over as projects.', body: '## Import from Trello\n\nGo to **Settings → Import** and choose Trello.' },
      }),
    });
    expect(created.status).toBe(201);
    const version = await a.desk.store.knowledge.publishedVersion();
    await b.desk.knowledge.whenVersion(version);

    const again = await ask(b.url, question);
    expect(articleOf(again.reply)).toBe('import-from-trello');
    again.client.close();
    // The help centre on the other instance serves it too.
    const page = await fetch(`${b.url}/help/articles/import-from-trello`);
    expect(page.status).toBe(200);

    const after = (await (await a.api('/api/knowledge/inbox?status=done')).json()) as { items: { key: string; action: { kind: string; target: string }; effect: { asked: number; answered: number } }[] };
    const done = after.items.find((i) => i.key === item!.key);
    expect(done?.action).toMatchObject({ kind: 'create_article', target: 'import-from-trello' });
    expect(done?.effect).toEqual({ asked: 1, answered: 1 });
  }, 60_000);

  it('a wrong answer marked "didn\'t help" → add as a phrasing of the right article → the right answer', async () => {
    // Answered with the email article; the company name is under billing's company details.
    const question = 'how do I change my company name';
    const first = await ask(b.url, question);
    expect(articleOf(first.reply)).toBe('change-email');
    first.client.press({ kind: 'feedback', helpful: false, articleId: 'change-email' });
    await first.client.waitFor((f) => f.type === 'message' && f.message.author === 'bot' && f.message.seq > first.reply.seq, 10_000);
    first.client.close();

    const inbox = (await (await a.api('/api/knowledge/inbox')).json()) as { items: { key: string; text: string; kinds: Record<string, number>; guess: { articleId: string } | null }[] };
    const item = inbox.items.find((i) => i.text === question);
    expect(item?.kinds.not_helpful).toBe(1);
    // The best guess is never the answer that did not help.
    expect(item?.guess?.articleId).not.toBe('change-email');

    const added = await a.api('/api/knowledge/inbox/actions', { method: 'POST', body: JSON.stringify({ key: item!.key, action: 'add_phrasing', articleId: 'vat-and-tax-ids' }) });
    expect(added.status).toBe(201);
    await b.desk.knowledge.whenVersion(await a.desk.store.knowledge.publishedVersion());
    const again = await ask(b.url, question);
    expect(articleOf(again.reply)).toBe('vat-and-tax-ids');
    again.client.close();
  }, 60_000);

  it('out of scope trains the bot to say it does not know (kept as examples), dismiss files an item away; both recorded', async () => {
    const oos = 'what is the best pizza topping';
    const junk = 'asdfghjkl qwerty';
    for (const q of [oos, junk]) (await ask(b.url, q)).client.close();
    type Items = { items: { key: string; text: string; status: string; action: { kind: string } | null; effect: { asked: number; answered: number } | null }[] };
    const inbox = (await (await a.api('/api/knowledge/inbox')).json()) as Items;
    const oosItem = inbox.items.find((i) => i.text === oos)!;
    const junkItem = inbox.items.find((i) => i.text === junk)!;
    expect((await a.api('/api/knowledge/inbox/actions', { method: 'POST', body: JSON.stringify({ key: oosItem.key, action: 'out_of_scope' }) })).status).toBe(201);
    expect((await a.api('/api/knowledge/inbox/actions', { method: 'POST', body: JSON.stringify({ key: junkItem.key, action: 'dismiss' }) })).status).toBe(201);
    expect((await a.desk.store.knowledge.document()).outOfScope).toEqual([oos]);
    await b.desk.knowledge.whenVersion(await a.desk.store.knowledge.publishedVersion());
    // The other instance serves the out-of-scope class now, and the bot still does not answer it.
    expect(b.desk.knowledge.bundle().kb.intents.find((i) => i.name === 'out_of_scope')?.examples).toEqual([oos]);
    const again = await ask(b.url, oos);
    expect(articleOf(again.reply)).toBeNull();
    again.client.close();
    const done = (await (await a.api('/api/knowledge/inbox?status=done')).json()) as Items;
    expect(done.items.find((i) => i.key === oosItem.key)).toMatchObject({ action: { kind: 'out_of_scope' }, effect: { asked: 1, answered: 0 } });
    expect(done.items.find((i) => i.key === junkItem.key)?.action?.kind).toBe('dismiss');
    const open = (await (await a.api('/api/knowledge/inbox?status=open')).json()) as Items;
    expect(open.items.some((i) => i.key === oosItem.key || i.key === junkItem.key)).toBe(false);
  }, 60_000);
});
