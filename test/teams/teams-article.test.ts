import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { actionsOf, cardOf, FakeConnector, type Member, submitButton } from './fake-connector';
import { isolateChannelTests } from '../support/no-internet';

/** The console's "Insert article" reaching a Teams member: an Adaptive Card with the article link. */
const PUBLIC = 'https://support.example.com';
const GRACE: Member = { id: '29:grace-teams-id', name: 'Grace Hopper', aadObjectId: 'aad-grace' };

let fake: FakeConnector;
let server: TestServer;
const { attempts } = isolateChannelTests();

beforeAll(async () => {
  fake = await FakeConnector.start();
  server = await startTestServer({ PUBLIC_URL: PUBLIC });
  fake.target = `${server.url}/api/messages`;
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe('Teams: an article inserted from the console', () => {
  it('reaches the member’s chat as an Adaptive Card with title, summary and an Open link', async () => {
    const chat = 'a:1personal-grace-article';
    expect((await fake.post(fake.personal(GRACE, chat, { text: 'How do I reset my password?' }))).status).toBe(200);
    const answer = await fake.waitFor((s) => s.conversationId === chat && !!cardOf(s), 'the answer card');
    expect((await fake.post(fake.personal(GRACE, chat, { value: submitButton(cardOf(answer)!, 'Talk to a person').data, replyToId: answer.id }))).status).toBe(200);
    await fake.waitFor((s) => s.conversationId === chat && typeof s.activity.text === 'string' && s.activity.text.includes("You're in the queue"), 'the queue notice');
    const customer = await server.desk.store.customers.findByExternalId('msteams', GRACE.aadObjectId!);
    const [conversation] = await server.desk.store.conversations.listOfCustomer(customer!.id);
    const ticket = await server.desk.store.tickets.byConversation(conversation!.id);
    expect(ticket).toBeDefined();

    const before = fake.to(chat).length;
    const res = await server.admin(`/api/tickets/${ticket!.id}/article`, { method: 'POST', body: JSON.stringify({ articleId: 'reset-password' }) });
    expect(res.status, await res.clone().text()).toBe(201);

    const sent = await fake.waitFor((s) => s.conversationId === chat && fake.to(chat).indexOf(s) >= before && !!cardOf(s) && JSON.stringify(cardOf(s)).includes('shared an article'), 'the article card');
    const card = cardOf(sent)!;
    expect(card.type).toBe('AdaptiveCard');
    const texts = card.body.filter((n) => n.type === 'TextBlock').map((n) => String(n.text));
    expect(texts[0]).toBe('Support team shared an article');
    expect(texts.some((t) => /password/i.test(t))).toBe(true);
    const open = actionsOf(card).find((a) => a.type === 'Action.OpenUrl');
    expect(open?.url).toBe(`${PUBLIC}/help/articles/reset-password`);
    // An agent sent it: no "Did this help?" buttons, and the notification names the article.
    expect(actionsOf(card).filter((a) => a.type === 'Action.Submit')).toEqual([]);
    expect(String(sent.activity.summary ?? sent.activity.text ?? '')).toMatch(/shared an article/);
    expect(fake.unknown).toEqual([]);
    expect(attempts).toEqual([]);
  });
});
