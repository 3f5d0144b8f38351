import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import type { Agent } from '../../server/store/types';
import type { TestServer } from '../support/server';
import { allText, BOT_USER_ID, buttons, FakeSlack, nextTs, type ApiCall } from './fake-slack';
import { isolateChannelTests } from '../support/no-internet';

const SECRET = 'slack-signing-secret-for-tests';
const PUBLIC = 'https://support.example.com';

let fake: FakeSlack;
let server: TestServer;
let alex: Agent;
const { attempts, unhandled } = isolateChannelTests();

beforeAll(async () => {
  fake = await FakeSlack.start(SECRET);
  fake.addUser({ id: 'U_MEMBER', name: 'Grace', email: 'grace@customer.test' });
  fake.addUser({ id: 'U_MEMBER2', name: 'Linus', email: 'linus@customer.test' });
  fake.addUser({ id: 'U_ALEX', name: 'Alex Slack', email: 'alex@tidyflow.test' });
  fake.addUser({ id: 'U_SAM', name: 'Sam', email: 'sam@tidyflow.test' });
  server = await fake.startServer({ PUBLIC_URL: PUBLIC });
  alex = await server.desk.store.agents.create({ email: 'alex@tidyflow.test', name: 'Alex', role: 'agent', passwordHash: await hashPassword('correct horse battery') });
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const mention = (text: string) => `<@${BOT_USER_ID}> ${text}`;

/** Asks a question as a mention and returns the bot's first answer in the thread. */
async function ask(user: string, channel: string, text: string): Promise<{ ts: string; answer: ApiCall }> {
  const ts = nextTs();
  const res = await fake.sendEvent({ type: 'app_mention', user, text: mention(text), ts, channel, channel_type: 'channel', team: 'T0TEST' });
  expect(res.status).toBe(200);
  const answer = await fake.waitForPost(channel, ts, () => true, `the answer to "${text}"`);
  return { ts, answer };
}

describe('Slack channel: question → person → resolved → CES', () => {
  it('answers in a thread, hands over via the agents channel and records the survey', async () => {
    const store = server.desk.store;

    // 1. The question, answered with the article in the member's thread.
    const { ts: threadTs, answer } = await ask('U_MEMBER', 'C_GENERAL', 'How do I reset my password?');
    expect(answer.args.thread_ts).toBe(threadTs);
    const answerText = allText(answer);
    expect(answerText).toContain(`<${PUBLIC}/help/articles/reset-password|`);
    expect(buttons(answer).map((b) => b.text.text)).toEqual(['This helped', "Didn't help", 'Talk to a person']);
    const customer = await store.customers.findByExternalId('slack', 'U_MEMBER');
    expect(customer?.name).toBe('Grace');
    const [conversation] = await store.conversations.listOfCustomer(customer!.id);
    expect(conversation?.channel).toBe('slack');
    expect(conversation?.channelRef).toMatchObject({ channel: 'C_GENERAL', threadTs, user: 'U_MEMBER' });

    // 2. "Talk to a person": the buttons become the choice, a notice with Claim goes to the agents.
    expect((await fake.click(answer, 'Talk to a person', 'U_MEMBER')).status).toBe(200);
    const answered = await fake.waitForCall((c) => c.method === 'chat.update' && c.args.ts === answer.ts, 'the clicked message updated');
    expect(buttons(answered)).toEqual([]);
    expect(allText(answered)).toContain('Talk to a person');
    await fake.waitForPost('C_GENERAL', threadTs, (t) => t.includes('a person from our team will reply here'));
    const notice = await fake.waitForPost('C_AGENTS', undefined, (_t, c) => buttons(c).some((b) => b.text.text === 'Claim'), 'the agents notice');
    expect(notice.args.thread_ts).toBeUndefined();
    const ticket = await store.tickets.byConversation(conversation!.id);
    expect(ticket).toBeDefined();
    const noticeText = allText(notice);
    expect(noticeText).toContain('How do I reset my password?');
    expect(noticeText).toContain('<@U_MEMBER>');
    expect(noticeText).toContain(`${PUBLIC}/console`);
    expect(noticeText).toContain(ticket!.id);

    // 3. Claim: the notice says who has it; the member hears that Alex joined.
    expect((await fake.click(notice, 'Claim', 'U_ALEX')).status).toBe(200);
    const claimed = await fake.waitForCall((c) => c.method === 'chat.update' && c.args.ts === notice.ts && allText(c).includes('Claimed by Alex'), 'notice "Claimed by Alex"');
    expect(buttons(claimed)).toEqual([]);
    await fake.waitForPost('C_GENERAL', threadTs, (t) => t.includes('Alex joined the conversation'));
    expect((await store.tickets.get(ticket!.id))?.assigneeId).toBe(alex.id);

    // A second agent is told who has it (only they see it) and nothing changes.
    expect((await fake.click(notice, 'Claim', 'U_SAM')).status).toBe(200);
    const refused = await fake.waitForCall((c) => c.method === 'chat.postEphemeral' && c.args.user === 'U_SAM', 'the ephemeral refusal');
    expect(String(refused.args.text)).toMatch(/already claimed by Alex/i);
    expect((await store.tickets.get(ticket!.id))?.assigneeId).toBe(alex.id);

    // 4. The agent replies in the notice's thread → relayed into the member's thread.
    const agentTs = nextTs();
    await fake.sendEvent({ type: 'message', channel: 'C_AGENTS', channel_type: 'channel', user: 'U_ALEX', text: 'Hi Grace, I just sent you a reset link.', ts: agentTs, thread_ts: notice.ts });
    const relayed = await fake.waitForPost('C_GENERAL', threadTs, (t) => t.includes('I just sent you a reset link'), 'the relayed agent reply');
    expect(allText(relayed)).toContain('Alex');
    // Typed in Slack: not echoed back into the agents' thread.
    expect(fake.posts({ channel: 'C_AGENTS', threadTs: notice.ts }).filter((c) => allText(c).includes('reset link'))).toEqual([]);

    // 5. The member's follow-up (no mention, same thread) is stored and mirrored to the agents' thread.
    const followTs = nextTs();
    await fake.sendEvent({ type: 'message', channel: 'C_GENERAL', channel_type: 'channel', user: 'U_MEMBER', text: 'Got it, thanks! It worked.', ts: followTs, thread_ts: threadTs });
    const mirrored = await fake.waitForPost('C_AGENTS', notice.ts, (t) => t.includes('Got it, thanks! It worked.'), 'the mirrored follow-up');
    expect(allText(mirrored)).toContain('<@U_MEMBER>');
    const messages = await store.conversations.listMessages(conversation!.id);
    expect(messages.some((m) => m.author === 'customer' && m.content.type === 'text' && m.content.text === 'Got it, thanks! It worked.')).toBe(true);
    expect(messages.some((m) => m.author === 'agent' && m.content.type === 'text' && m.content.text.includes('reset link'))).toBe(true);

    // 6. "resolve" in the agents' thread → the member gets the CES question as buttons.
    await fake.sendEvent({ type: 'message', channel: 'C_AGENTS', channel_type: 'channel', user: 'U_ALEX', text: 'resolve', ts: nextTs(), thread_ts: notice.ts });
    const ces = await fake.waitForPost('C_GENERAL', threadTs, (_t, c) => buttons(c).length === 7, 'the CES question');
    expect(buttons(ces).map((b) => b.text.text)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    await fake.waitForCall((c) => c.method === 'chat.update' && c.args.ts === notice.ts && allText(c).includes('Resolved by Alex'), 'notice "Resolved by Alex"');
    expect((await store.tickets.get(ticket!.id))?.status).toBe('resolved');
    // "resolve" is a command, not a message for the member.
    expect(fake.posts({ channel: 'C_GENERAL', threadTs }).some((c) => String(c.args.text).trim() === 'Alex: resolve')).toBe(false);

    // 7. The CES click is stored like the widget's and counted in the Slack metrics.
    expect((await fake.click(ces, '6', 'U_MEMBER')).status).toBe(200);
    await fake.waitForPost('C_GENERAL', threadTs, (t) => t.includes('Thank you for your feedback'));
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const surveys = await store.surveys.list({ from, to, channel: 'slack' });
    expect(surveys).toEqual([expect.objectContaining({ conversationId: conversation!.id, kind: 'ces', score: 6, humanInvolved: true, agentId: alex.id })]);
    const metrics = (await (await server.admin('/api/metrics?channel=slack')).json()) as { summary: { ces: { count: number; average: number | null } } };
    expect(metrics.summary.ces.count).toBe(1);
    expect(metrics.summary.ces.average).toBe(6);

    // Everything went to the fake, with the bot token.
    expect(fake.calls.every((c) => c.token === 'xoxb-test' || c.method === 'response_url')).toBe(true);
    expect(fake.calls.some((c) => c.method === 'auth.test')).toBe(true);
    expect(fake.unknown).toEqual([]);
    expect(attempts).toEqual([]);
  });

  it('answers DMs in a thread, and /answerdesk resolve <ticket id> closes a ticket', async () => {
    const ts = nextTs();
    await fake.sendEvent({ type: 'message', channel: 'D_LINUS', channel_type: 'im', user: 'U_MEMBER2', text: 'I want to talk to a person', ts });
    await fake.waitForPost('D_LINUS', ts, (t) => t.includes('a person from our team will reply here'));
    const notice = await fake.waitForPost('C_AGENTS', undefined, (t) => t.includes('<@U_MEMBER2>'), 'the notice for the DM');
    const customer = await server.desk.store.customers.findByExternalId('slack', 'U_MEMBER2');
    const [conversation] = await server.desk.store.conversations.listOfCustomer(customer!.id);
    const ticket = await server.desk.store.tickets.byConversation(conversation!.id);

    // Outside the agents' channel the command only explains where to use it.
    expect((await fake.command('/answerdesk', `resolve ${ticket!.id}`, 'U_SAM', 'C_GENERAL')).status).toBe(200);
    await fake.waitForCall((c) => c.method === 'response_url' && String(c.args.text).includes('agents'), 'the wrong-channel answer');
    expect((await server.desk.store.tickets.get(ticket!.id))?.status).toBe('open');

    expect((await fake.command('/answerdesk', `resolve ${ticket!.id}`, 'U_SAM', 'C_AGENTS')).status).toBe(200);
    const ces = await fake.waitForPost('D_LINUS', ts, (_t, c) => buttons(c).length === 7, 'the CES question in the DM thread');
    expect(ces.args.thread_ts).toBe(ts);
    await fake.waitForCall((c) => c.method === 'chat.update' && c.args.ts === notice.ts && allText(c).includes('Resolved by Sam'), 'notice resolved');
    const resolved = await server.desk.store.tickets.get(ticket!.id);
    expect(resolved?.status).toBe('resolved');
    // Sam had no answerdesk account: one was made from the Slack profile (agent role).
    const sam = await server.desk.store.agents.byEmail('sam@tidyflow.test');
    expect(sam).toMatchObject({ name: 'Sam', role: 'agent' });
    expect(resolved?.assigneeId).toBe(sam!.id);
    await fake.waitForCall((c) => c.method === 'response_url' && String(c.args.text).includes('is resolved'), 'the command confirmation');
    expect(attempts).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it('/answerdesk claim takes a ticket by a unique prefix of its id; short, unknown or ambiguous ids are refused', async () => {
    fake.addUser({ id: 'U_MEMBER3', name: 'Ada', email: 'ada@customer.test' });
    const ts = nextTs();
    await fake.sendEvent({ type: 'message', channel: 'D_ADA', channel_type: 'im', user: 'U_MEMBER3', text: 'I want to talk to a person', ts });
    await fake.waitForPost('C_AGENTS', undefined, (t) => t.includes('<@U_MEMBER3>'), 'the notice for Ada');
    const customer = await server.desk.store.customers.findByExternalId('slack', 'U_MEMBER3');
    const [conversation] = await server.desk.store.conversations.listOfCustomer(customer!.id);
    const ticket = (await server.desk.store.tickets.byConversation(conversation!.id))!;
    const answer = async (text: string) => {
      const before = fake.calls.length;
      expect((await fake.command('/answerdesk', text, 'U_ALEX', 'C_AGENTS')).status).toBe(200);
      return String((await fake.waitForCall((c) => c.method === 'response_url' && fake.calls.indexOf(c) >= before, `the answer to ${text}`)).args.text);
    };
    // Five characters are too few to name a ticket; a prefix nobody has names none.
    expect(await answer(`claim ${ticket.id.slice(0, 5)}`)).toMatch(/^No ticket/);
    expect(await answer('claim ffffffff')).toMatch(/^No ticket/);
    expect(await answer('claim not-an-id!')).toMatch(/^No ticket/);
    expect((await server.desk.store.tickets.get(ticket.id))?.assigneeId).toBeNull();
    // Eight characters, in upper case, are enough while they are unambiguous.
    expect(await answer(`claim ${ticket.id.slice(0, 8).toUpperCase()}`)).toBe(`Ticket \`${ticket.id}\` is yours.`);
    expect(await server.desk.store.tickets.get(ticket.id)).toMatchObject({ status: 'assigned', assigneeId: alex.id });
    // Claiming it again as someone else: refused, and told who has it.
    const before = fake.calls.length;
    expect((await fake.command('/answerdesk', `claim ${ticket.id}`, 'U_SAM', 'C_AGENTS')).status).toBe(200);
    const refusal = await fake.waitForCall((c) => c.method === 'response_url' && fake.calls.indexOf(c) >= before, 'the refusal');
    expect(String(refusal.args.text)).toBe('Already claimed by Alex.');
    expect(await answer('help')).toMatch(/^Usage: /);
  });
});
