import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackConfigError } from '../../server/channels/slack';
import { SAMPLE_KB_DIR } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server';
import { BOT_USER_ID, buttons, FakeSlack, nextTs } from './fake-slack';
import { blockInternet } from '../support/no-internet';

/**
 * Socket Mode (local development without a public URL): the server asks the fake Slack for a
 * socket URL with its app token, connects, and gets the same events and button presses as
 * envelopes it must acknowledge — through bolt's real SocketModeReceiver.
 */

let fake: FakeSlack;
let server: TestServer;
const internet = blockInternet();

beforeAll(async () => {
  fake = await FakeSlack.start('unused-in-socket-mode');
  fake.addUser({ id: 'U_MEMBER', name: 'Grace', email: 'grace@customer.test' });
  server = await startTestServer(
    { SLACK_SOCKET_MODE: 'true', SLACK_APP_TOKEN: 'xapp-test', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: `${fake.url}/api/`, PUBLIC_URL: 'https://support.example.com' },
    { kbDir: SAMPLE_KB_DIR },
  );
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
  internet.restore();
});

describe('Slack in Socket Mode', () => {
  it('connects with the app token and answers an event envelope in a thread', async () => {
    await fake.socketReady();
    expect(fake.calls.find((c) => c.method === 'apps.connections.open')?.token).toBe('xapp-test');

    const ts = nextTs();
    const event = { type: 'app_mention', user: 'U_MEMBER', text: `<@${BOT_USER_ID}> How do I reset my password?`, ts, channel: 'C_GENERAL', channel_type: 'channel' };
    await fake.sendEnvelope('events_api', fake.eventCallback(event)); // rejects if never acknowledged
    const answer = await fake.waitForPost('C_GENERAL', ts, (t) => t.includes('/help/articles/reset-password'), 'the threaded answer');
    expect(buttons(answer).map((b) => b.text.text)).toContain('This helped');

    // A button press arrives as an `interactive` envelope: "This helped" → the CES question.
    await fake.sendEnvelope('interactive', fake.clickPayload(answer, 'This helped', 'U_MEMBER'));
    const ces = await fake.waitForPost('C_GENERAL', ts, (t) => t.includes('How easy was it to get your issue resolved?'), 'the CES question');
    expect(buttons(ces).length).toBeGreaterThanOrEqual(3);
    expect(internet.attempts).toEqual([]);
  });

  it('normalises Socket Mode bodies like HTTP ones: NUL in ids and text is removed before storage', async () => {
    fake.addUser({ id: 'U_NULSOCK', name: 'Sock', email: 'sock@customer.test' });
    const ts = nextTs();
    const event = { type: 'message', user: 'U_NUL\u0000SOCK', text: 'How do I reset my pass\u0000word?', ts, channel: 'D_SO\u0000CK', channel_type: 'im' };
    await fake.sendEnvelope('events_api', fake.eventCallback(event));
    await fake.waitForPost('D_SOCK', ts, (t) => t.includes('/help/articles/reset-password'), 'the answer in the DM');
    const member = await server.desk.store.customers.findByExternalId('slack', 'U_NULSOCK');
    expect(member?.name).toBe('Sock');
    const [conversation] = await server.desk.store.conversations.listOfCustomer(member!.id);
    const stored = await server.desk.store.conversations.listMessages(conversation!.id, 0);
    expect(stored.find((m) => m.author === 'customer')?.content).toEqual({ type: 'text', text: 'How do I reset my password?' });
  });

  it('does not expose the HTTP events endpoint', async () => {
    const res = await fetch(`${server.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
  });

  it('refuses to start in Socket Mode without an app token', async () => {
    await expect(startTestServer({ SLACK_SOCKET_MODE: 'true', SLACK_BOT_TOKEN: 'xoxb-test' })).rejects.toThrow(SlackConfigError);
    await expect(startTestServer({ SLACK_SOCKET_MODE: 'true', SLACK_BOT_TOKEN: 'xoxb-test' })).rejects.toThrow(/SLACK_APP_TOKEN/);
  });
});
