import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import type { TestServer } from '../support/server';
import { allText, BOT_ID, BOT_USER_ID, FakeSlack, nextTs } from './fake-slack';
import { isolateChannelTests } from '../support/no-internet';

const SECRET = 'another-signing-secret-for-tests';

let fake: FakeSlack;
let server: TestServer;
const { attempts, unhandled } = isolateChannelTests();

beforeAll(async () => {
  fake = await FakeSlack.start(SECRET);
  fake.addUser({ id: 'U1', name: 'Ada', email: 'ada@customer.test' });
  server = await fake.startServer();
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const question = (ts: string, extra: Record<string, unknown> = {}) => ({
  type: 'message',
  channel: 'C_SUPPORT',
  channel_type: 'channel',
  user: 'U1',
  text: 'How do I reset my password?',
  ts,
  ...extra,
});

/**
 * Asks a fresh question and waits for its answer: a barrier for "nothing happened" checks.
 * Dropping a duplicate or an ignored event is one store lookup at most, far less than the
 * full answer (customer, conversation, engine, Web API) this waits for, so by the time the
 * sentinel's answer is posted the events sent before it have been dealt with.
 */
async function sentinel(): Promise<void> {
  const ts = nextTs();
  expect((await fake.sendEvent(question(ts))).status).toBe(200);
  await fake.waitForPost('C_SUPPORT', ts, () => true, 'the sentinel answer');
}

describe('Slack requests: authenticity, retries and failures', () => {
  it('rejects a forged signature and a 6-minute-old timestamp with 401, processing nothing', async () => {
    const before = fake.calls.length;
    const forged = await fake.sendEvent(question(nextTs()), { signature: `v0=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    const stale = await fake.sendEvent(question(nextTs()), { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    const unsigned = await fetch(fake.target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: fake.envelope(question(nextTs())) });
    expect(unsigned.status).toBe(401);
    // Signed with the wrong secret.
    const other = await FakeSlack.start('not-the-secret');
    other.target = fake.target;
    expect((await other.sendEvent(question(nextTs()))).status).toBe(401);
    await other.close();
    // Verification happens before the response: nothing reached the Web API, nothing was stored.
    expect(fake.calls.slice(before).filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(await server.desk.store.customers.findByExternalId('slack', 'U1')).toBeUndefined();
  });

  it('acks quickly with an empty 200 and answers the URL verification challenge', async () => {
    const res = await fake.post(JSON.stringify({ token: 't', challenge: 'abc123', type: 'url_verification' }), 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'abc123' });
  });

  it('acks before doing the work: a slow Web API does not hold up the 200', async () => {
    const release = fake.hold('chat.postMessage');
    try {
      const ts = nextTs();
      const res = await fake.sendEvent(question(ts));
      expect(res.status).toBe(200);
      // The answer is still on its way (stuck in the slow Web API) while Slack has its ack.
      await fake.waitForCall(() => fake.waiting.includes('chat.postMessage'), 'the held postMessage');
      expect(fake.posts({ threadTs: ts })).toEqual([]);
      release();
      await fake.waitForPost('C_SUPPORT', ts, () => true, 'the answer once Slack is fast again');
    } finally {
      release();
    }
  });

  it('answers an event delivered three times (Slack retries) exactly once', async () => {
    const ts = nextTs();
    const eventId = fake.newEventId();
    const first = await fake.sendEvent(question(ts), { eventId });
    const second = await fake.sendEvent(question(ts), { eventId, retryNum: 1 });
    const third = await fake.sendEvent(question(ts), { eventId, retryNum: 2 });
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    await fake.waitForPost('C_SUPPORT', ts, () => true, 'the answer');
    await sentinel();
    expect(fake.posts({ channel: 'C_SUPPORT', threadTs: ts })).toHaveLength(1);
    // A mention in a support channel arrives as message and app_mention (two event ids): one answer.
    const both = nextTs();
    const text = `<@${BOT_USER_ID}> How do I reset my password?`;
    await fake.sendEvent(question(both, { text }));
    await fake.sendEvent({ ...question(both, { text }), type: 'app_mention' });
    await fake.waitForPost('C_SUPPORT', both, () => true, 'the answer to the mention');
    await sentinel();
    expect(fake.posts({ channel: 'C_SUPPORT', threadTs: both })).toHaveLength(1);
  });

  it('ignores bot messages, its own messages, edits and channels it does not serve', async () => {
    const ignored = [
      question(nextTs(), { bot_id: 'B_OTHER' }),
      question(nextTs(), { subtype: 'bot_message', bot_id: 'B_OTHER', user: undefined }),
      question(nextTs(), { user: BOT_USER_ID, bot_id: BOT_ID }),
      question(nextTs(), { subtype: 'message_changed' }),
      question(nextTs(), { subtype: 'channel_join' }),
      question(nextTs(), { channel: 'C_RANDOM' }),
    ];
    for (const event of ignored) expect((await fake.sendEvent(event)).status).toBe(200);
    await sentinel();
    for (const event of ignored) expect(fake.posts({ threadTs: event.ts })).toEqual([]);
  });

  it('follows up in the same thread in the same conversation', async () => {
    const ts = nextTs();
    await fake.sendEvent(question(ts));
    await fake.waitForPost('C_SUPPORT', ts, () => true);
    await fake.sendEvent(question(nextTs(), { thread_ts: ts, text: 'What are your opening hours?' }));
    await fake.waitForCall((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts && fake.posts({ threadTs: ts }).length >= 2, 'the second answer');
    const customer = await server.desk.store.customers.findByExternalId('slack', 'U1');
    const conversations = (await server.desk.store.conversations.listOfCustomer(customer!.id, 100)).filter(
      (c) => (c.channelRef as { threadTs?: string }).threadTs === ts,
    );
    expect(conversations).toHaveLength(1);
    const texts = (await server.desk.store.conversations.listMessages(conversations[0]!.id)).filter((m) => m.author === 'customer').map((m) => m.content);
    expect(texts).toHaveLength(2);
    // Someone else's reply in that thread is not a question for the bot.
    const stranger = nextTs();
    await fake.sendEvent(question(stranger, { user: 'U_STRANGER', thread_ts: ts }));
    await sentinel();
    expect(fake.posts({ threadTs: ts }).length).toBe(2);
  });

  it('retries a rate-limited call (429, Retry-After) and still posts the answer', async () => {
    fake.failNext('chat.postMessage', { kind: 'ratelimited' });
    const ts = nextTs();
    await fake.sendEvent(question(ts));
    const answer = await fake.waitForPost('C_SUPPORT', ts, () => true, 'the answer after the retry');
    expect(allText(answer)).toContain('/help/articles/reset-password');
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage!failed' && c.args.thread_ts === ts)).toHaveLength(1);
    expect(fake.posts({ threadTs: ts })).toHaveLength(1);
  });

  it('logs Web API errors (channel_not_found, 5xx) without crashing; the next question works', async () => {
    fake.failNext('chat.postMessage', { kind: 'error', error: 'channel_not_found' });
    const lost = nextTs();
    await fake.sendEvent(question(lost));
    await fake.waitForCall((c) => c.method === 'chat.postMessage!failed' && c.args.thread_ts === lost, 'the failed post');
    // The message is stored all the same (the console sees it).
    const customer = await server.desk.store.customers.findByExternalId('slack', 'U1');
    const conversation = (await server.desk.store.conversations.listOfCustomer(customer!.id, 100)).find((c) => (c.channelRef as { threadTs?: string }).threadTs === lost);
    expect(conversation).toBeDefined();
    fake.failNext('chat.postMessage', { kind: 'http', status: 503 }, 2);
    const flaky = nextTs();
    await fake.sendEvent(question(flaky));
    await fake.waitForPost('C_SUPPORT', flaky, () => true, 'the answer after two 503s');
    await sentinel();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(unhandled).toEqual([]);
  });

  it('talks to the fake only (the guard would catch slack.com)', async () => {
    expect(fake.calls.every((c) => c.token === 'xoxb-test')).toBe(true);
    expect(attempts).toEqual([]);
    // Proof the guard sees the Web API client's requests: a default client aims at slack.com.
    const client = new webApi.WebClient('xoxb-test', { retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
    await expect(client.auth.test()).rejects.toThrow();
    expect(attempts).toEqual(['https://slack.com']);
    attempts.length = 0;
  });
});
