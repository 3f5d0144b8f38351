import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server';
import { allText, BOT_USER_ID, buttons, FakeSlack, nextTs } from './fake-slack';
import { isolateChannelTests } from '../support/no-internet';

/** The console's "Insert article" reaching a Slack member: the article as blocks, in their thread. */
const SECRET = 'slack-signing-secret-for-tests';
const PUBLIC = 'https://support.example.com';

let fake: FakeSlack;
let server: TestServer;
const { attempts } = isolateChannelTests();

beforeAll(async () => {
  fake = await FakeSlack.start(SECRET);
  fake.addUser({ id: 'U_MEMBER', name: 'Grace', email: 'grace@customer.test' });
  server = await fake.startServer({ PUBLIC_URL: PUBLIC });
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe('Slack: an article inserted from the console', () => {
  it('reaches the member’s thread as blocks with the absolute article link and title', async () => {
    const threadTs = nextTs();
    await fake.sendEvent({ type: 'app_mention', user: 'U_MEMBER', text: `<@${BOT_USER_ID}> I want to talk to a person about my bill`, ts: threadTs, channel: 'C_GENERAL', channel_type: 'channel', team: 'T0TEST' });
    const first = await fake.waitForPost('C_GENERAL', threadTs, () => true, 'the first answer');
    if (buttons(first).some((b) => b.text.text === 'Talk to a person')) await fake.click(first, 'Talk to a person', 'U_MEMBER');
    const customer = await server.desk.store.customers.findByExternalId('slack', 'U_MEMBER');
    const [conversation] = await server.desk.store.conversations.listOfCustomer(customer!.id);
    let ticket = await server.desk.store.tickets.byConversation(conversation!.id);
    for (let i = 0; i < 100 && !ticket; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      ticket = await server.desk.store.tickets.byConversation(conversation!.id);
    }
    expect(ticket, 'a ticket for the Slack conversation').toBeDefined();

    const res = await server.admin(`/api/tickets/${ticket!.id}/article`, { method: 'POST', body: JSON.stringify({ articleId: 'reset-password' }) });
    expect(res.status, await res.clone().text()).toBe(201);

    const card = await fake.waitForPost('C_GENERAL', threadTs, (t) => t.includes('/help/articles/reset-password'), 'the article card');
    const blocks = card.args.blocks as { type: string; text?: { type: string; text: string } }[];
    expect(Array.isArray(blocks) && blocks.length > 0).toBe(true);
    const section = blocks.find((b) => b.type === 'section')!;
    expect(section.text?.type).toBe('mrkdwn');
    // A Slack link (absolute: Slack cannot follow a root-relative one) whose label is the title.
    expect(section.text?.text).toMatch(new RegExp(`<${PUBLIC}/help/articles/reset-password\\|[^>]*[Pp]assword[^>]*>`));
    // The notification text (and screen readers) carry title and link too.
    expect(String(card.args.text)).toContain(`${PUBLIC}/help/articles/reset-password`);
    // Sent by an agent, not the bot: it says who shared it, and no "Did this help?" buttons.
    expect(blocks[0]).toMatchObject({ type: 'context' });
    expect(allText(card)).toMatch(/\*Support team\* shared an article/);
    expect(buttons(card)).toEqual([]);
    // The agents' thread shows it too, so it reads as one conversation.
    const notice = await fake.waitForPost('C_AGENTS', undefined, (_t, c) => buttons(c).some((b) => b.text.text === 'Claim'), 'the agents notice');
    await fake.waitForPost('C_AGENTS', notice.ts, (t) => t.includes('shared an article') && t.includes(`<${PUBLIC}/help/articles/reset-password|`), 'the copy in the agents thread');
    expect(allText(card)).not.toContain('{"type"');
    expect(fake.unknown).toEqual([]);
    expect(attempts).toEqual([]);
  });
});
