import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { actionsOf, BOT_ID, BOT_NAME, cardOf, FakeConnector, type Member, type SentActivity, submitButton, TENANT_ID } from './fake-connector';
import { isolateChannelTests } from '../support/no-internet';

/**
 * The Teams channel end to end in development mode (no Microsoft credentials, so the bot takes
 * unauthenticated activities, as from the Bot Framework Emulator): real activities to
 * /api/messages, everything the bot says delivered proactively to a fake connector.
 */

const PUBLIC = 'https://support.example.com';
const GRACE: Member = { id: '29:grace-teams-id', name: 'Grace Hopper', aadObjectId: 'aad-grace' };
const LINUS: Member = { id: '29:linus-teams-id', name: 'Linus', aadObjectId: 'aad-linus' };

let fake: FakeConnector;
let server: TestServer;
const { attempts, unhandled } = isolateChannelTests();

beforeAll(async () => {
  fake = await FakeConnector.start();
  server = await startTestServer({ PUBLIC_URL: PUBLIC });
  fake.target = `${server.url}/api/messages`;
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

interface TicketRow {
  id: string;
  conversationId: string;
  channel: string;
  status: string;
}

async function json<T>(res: Response): Promise<T> {
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as T;
}

/** Posts an activity and expects the bot to accept it. */
async function post(activity: Record<string, unknown>): Promise<void> {
  const res = await fake.post(activity);
  expect(res.status, await res.text()).toBe(200);
}

const isCardWith = (conversationId: string, test: (s: SentActivity) => boolean) => (s: SentActivity) => s.conversationId === conversationId && !!cardOf(s) && test(s);
const hasText = (conversationId: string, text: string | RegExp) => (s: SentActivity) =>
  s.conversationId === conversationId && typeof s.activity.text === 'string' && (typeof text === 'string' ? s.activity.text.includes(text) : text.test(s.activity.text));

describe('Teams channel: question → person → resolved → CES', () => {
  it('answers with a card, hands over on "Talk to a person", delivers console replies and records the survey', async () => {
    const chat = 'a:1personal-grace';
    await post(fake.personal(GRACE, chat, { text: 'How do I reset my password?' }));

    // The answer: an Adaptive Card with the absolute article link and the feedback / person buttons.
    const answer = await fake.waitFor(isCardWith(chat, (s) => JSON.stringify(cardOf(s)).includes('reset-password')), 'the answer card');
    const card = cardOf(answer)!;
    expect(card.type).toBe('AdaptiveCard');
    expect(['1.4', '1.5']).toContain(card.version);
    const open = actionsOf(card).find((a) => a.type === 'Action.OpenUrl');
    expect(open?.url).toBe(`${PUBLIC}/help/articles/reset-password`);
    expect(submitButton(card, 'This helped').data).toMatchObject({ answerdesk: { a: { kind: 'feedback', helpful: true, articleId: 'reset-password' } } });
    const person = submitButton(card, 'Talk to a person');
    expect(person.data).toMatchObject({ answerdesk: { a: { kind: 'handoff' } } });
    // Proactive delivery from the stored reference: the fake connector saw a plain post or a reply.
    expect(['send', 'reply']).toContain(answer.kind);

    const desk = server.desk;
    const customer = await desk.store.customers.findByExternalId('msteams', GRACE.aadObjectId!);
    expect(customer?.name).toBe('Grace Hopper');
    const [conversation] = await desk.store.conversations.listOfCustomer(customer!.id);
    expect(conversation?.channel).toBe('msteams');
    expect((conversation?.channelRef as { conversation: { id: string }; serviceUrl: string }).conversation.id).toBe(chat);

    // Card submission: a message with `value` and no text.
    await post(fake.personal(GRACE, chat, { value: person.data, replyToId: answer.id }));
    await fake.waitFor(hasText(chat, "You're in the queue"), 'the queue notice');
    const { tickets } = await json<{ tickets: TicketRow[] }>(await server.admin('/api/tickets?channel=msteams'));
    const ticket = tickets.find((t) => t.conversationId === conversation!.id);
    expect(ticket).toMatchObject({ channel: 'msteams', status: 'open' });
    const stored = await desk.store.conversations.listMessages(conversation!.id);
    expect(stored.some((m) => m.author === 'customer' && m.content.type === 'action' && m.content.action.kind === 'handoff' && m.content.label === 'Talk to a person')).toBe(true);

    // A reply from the console (admin token: the console's own code path) reaches Teams proactively.
    await json(await server.admin(`/api/tickets/${ticket!.id}/reply`, { method: 'POST', body: JSON.stringify({ text: 'Hi Grace, I have reset it for you.' }) }));
    const reply = await fake.waitFor(hasText(chat, 'I have reset it for you'), 'the agent reply');
    expect(reply.activity.text).toBe('Support team: Hi Grace, I have reset it for you.');
    await fake.waitFor(hasText(chat, 'Support team joined the conversation'), 'the assignment notice');

    // The member writes back while a person has it: stored for the agent, the bot stays quiet.
    const before = fake.to(chat).length;
    await post(fake.personal(GRACE, chat, { text: 'Thanks, that worked' }));
    const afterFollowUp = await desk.store.conversations.listMessages(conversation!.id);
    expect(afterFollowUp.at(-1)).toMatchObject({ author: 'customer', content: { type: 'text', text: 'Thanks, that worked' } });
    expect(fake.to(chat).length).toBe(before);

    // Resolve → the CES card.
    await json(await server.admin(`/api/tickets/${ticket!.id}/resolve`, { method: 'POST' }));
    await fake.waitFor(hasText(chat, 'Conversation resolved'), 'the resolved notice');
    const ces = await fake.waitFor(isCardWith(chat, (s) => JSON.stringify(cardOf(s)).includes('"kind":"ces"')), 'the CES card');
    const cesCard = cardOf(ces)!;
    const scores = actionsOf(cesCard).filter((a) => a.type === 'Action.Submit');
    expect(scores.map((a) => a.title)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    const comment = cesCard.body.find((n) => n.type === 'Input.Text');
    expect(comment).toBeDefined();

    // The member types a comment and presses 6: Teams merges the input into the button's data.
    await post(fake.personal(GRACE, chat, { value: { ...submitButton(cesCard, '6').data, [comment!.id as string]: 'Quick and friendly' }, replyToId: ces.id }));
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    let surveys = await desk.store.surveys.list({ from, to, channel: 'msteams' });
    for (let i = 0; i < 100 && surveys.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      surveys = await desk.store.surveys.list({ from, to, channel: 'msteams' });
    }
    expect(surveys).toHaveLength(1);
    expect(surveys[0]).toMatchObject({ conversationId: conversation!.id, score: 6, comment: 'Quick and friendly', humanInvolved: true });

    // Pressing another score on the same card changes nothing.
    await post(fake.personal(GRACE, chat, { value: submitButton(cesCard, '1').data, replyToId: ces.id }));
    expect(await desk.store.surveys.list({ from, to, channel: 'msteams' })).toHaveLength(1);

    const metrics = await json<{ summary: { conversations: number; ces: { count: number; average: number | null } } }>(await server.admin('/api/metrics?channel=msteams'));
    expect(metrics.summary.conversations).toBeGreaterThanOrEqual(1);
    expect(metrics.summary.ces.count).toBeGreaterThanOrEqual(1);

    expect(fake.unknown).toEqual([]);
  });

  it('answers an @mention in a channel with the mention removed', async () => {
    const thread = '19:support-channel@thread.tacv2;messageid=1700000000001';
    const mention = `<at>${BOT_NAME}</at>`;
    await post(
      fake.channel(LINUS, thread, {
        text: `${mention} how do I cancel my subscription`,
        entities: [{ type: 'mention', mentioned: { id: BOT_ID, name: BOT_NAME }, text: mention }],
      }),
    );
    const answer = await fake.waitFor(isCardWith(thread, (s) => JSON.stringify(cardOf(s)).includes('cancel-subscription')), 'the channel answer');
    expect(actionsOf(cardOf(answer)!).find((a) => a.type === 'Action.OpenUrl')?.url).toBe(`${PUBLIC}/help/articles/cancel-subscription`);

    const customer = await server.desk.store.customers.findByExternalId('msteams', LINUS.aadObjectId!);
    const [conversation] = await server.desk.store.conversations.listOfCustomer(customer!.id);
    const messages = await server.desk.store.conversations.listMessages(conversation!.id);
    expect(messages[0]).toMatchObject({ author: 'customer', content: { type: 'text', text: 'how do I cancel my subscription' } });

    // Someone else pressing Linus's buttons in the channel is ignored.
    const others = fake.to(thread).length;
    await post(fake.channel(GRACE, thread, { value: submitButton(cardOf(answer)!, 'Talk to a person').data, replyToId: answer.id }));
    expect(fake.to(thread).length).toBe(others);
    expect(await server.desk.store.tickets.byConversation(conversation!.id)).toBeUndefined();
  });

  it('answers an activity delivered twice only once', async () => {
    const chat = 'a:1personal-dedupe';
    const member: Member = { id: '29:dup-member', name: 'Dup', aadObjectId: 'aad-dup' };
    const activity = fake.personal(member, chat, { text: 'How do I reset my password?' });
    const [first, second] = await Promise.all([fake.post(activity), fake.post(activity)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await fake.waitFor((s) => s.conversationId === chat, 'the answer');
    await post(fake.personal(member, chat, { text: 'How do I cancel my subscription?' }));
    await fake.waitFor(isCardWith(chat, (s) => JSON.stringify(cardOf(s)).includes('cancel-subscription')), 'the second answer');
    const resetCards = fake.to(chat).filter((s) => JSON.stringify(cardOf(s) ?? {}).includes('reset-password'));
    expect(resetCards).toHaveLength(1);
    const customer = await server.desk.store.customers.findByExternalId('msteams', 'aad-dup');
    const [conversation] = await server.desk.store.conversations.listOfCustomer(customer!.id);
    const questions = (await server.desk.store.conversations.listMessages(conversation!.id)).filter((m) => m.author === 'customer');
    expect(questions).toHaveLength(2);
  });

  it('serves Teams without Microsoft credentials only as a development endpoint, and never calls the internet', async () => {
    // Development mode is for this machine only: the server listens on loopback.
    expect(server.desk.config.host).toBe('127.0.0.1');
    // No token needed, and the answer goes to the activity's serviceUrl (the fake), unsigned.
    const member: Member = { id: '29:dev-endpoint', name: 'Dev', aadObjectId: 'aad-dev-endpoint' };
    const res = await fake.post(fake.personal(member, 'a:1dev-endpoint', { text: 'How do I reset my password?' }));
    expect(res.status).toBe(200);
    const answer = await fake.waitFor((s) => s.conversationId === 'a:1dev-endpoint', 'the answer to the unauthenticated activity');
    expect(answer.authorization).toBeUndefined();
    expect(await server.desk.store.customers.findByExternalId('msteams', 'aad-dev-endpoint')).toMatchObject({ name: 'Dev' });
    // Malformed activities are refused with the usual JSON error (serviceUrl must be an http(s) URL).
    const bad = await fake.post(fake.personal(member, 'a:1dev-endpoint', { text: 'x', serviceUrl: true } as unknown as Record<string, unknown>));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_activity');
    expect(attempts).toEqual([]);
    expect(unhandled).toEqual([]);
  });
});

describe('Teams channel: tenant restriction', () => {
  let restricted: TestServer;
  beforeAll(async () => {
    restricted = await startTestServer({ PUBLIC_URL: PUBLIC, MICROSOFT_APP_TENANT_ID: TENANT_ID });
  });
  afterAll(async () => {
    await restricted?.close();
  });

  it('ignores activities from another tenant when MICROSOFT_APP_TENANT_ID is set', async () => {
    const member: Member = { id: '29:outsider', name: 'Outsider', aadObjectId: 'aad-outsider' };
    const foreign = fake.personal(member, 'a:1foreign', { text: 'How do I reset my password?' });
    (foreign.conversation as Record<string, unknown>).tenantId = 'another-tenant';
    foreign.channelData = { tenant: { id: 'another-tenant' } };
    const res = await fetch(`${restricted.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(foreign) });
    expect(res.status).toBe(200);
    expect(await restricted.desk.store.customers.findByExternalId('msteams', 'aad-outsider')).toBeUndefined();

    const own = fake.personal(member, 'a:1own-tenant', { text: 'How do I reset my password?' });
    const ok = await fetch(`${restricted.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(own) });
    expect(ok.status).toBe(200);
    await fake.waitFor((s) => s.conversationId === 'a:1own-tenant', 'the answer in the own tenant');
    expect(fake.to('a:1foreign')).toEqual([]);
  });
});
