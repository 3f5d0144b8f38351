import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolateChannelTests } from '../support/no-internet';
import { postgresRequiredInCi } from '../support/stores';
import { type Backend, type ChannelDriver, type ChannelName, openDriver, pollFor, type Reply } from './drivers';
import * as storage from './storage';

/**
 * The channel contract: the same scenarios against the widget, Slack and Teams, on SQLite and
 * on PostgreSQL. Each (channel, backend) pair gets its own server (every channel on, fresh
 * database or schema); each scenario its own new members. Every wait is bounded and polls what
 * the member would see, because platform deliveries are asynchronous (durable outbox).
 *
 * What the contract asks of every channel (see the drivers for how each one shows it):
 *  - one inbound path: size limit (MESSAGE_MAX_BYTES, UTF-8 bytes), rate limit per customer
 *    per channel (RATE_LIMIT_VISITOR_PER_MINUTE), de-duplication, thread → conversation,
 *    who may press which button;
 *  - refusals the member can read: web error frames (message_too_large, rate_limited,
 *    not_allowed); Slack ephemerals ("limited to N bytes", "too quickly", "These buttons are
 *    for <@OWNER>"); Teams texts ("limited to N bytes", "too quickly"; other people's presses
 *    are ignored).
 */

const RESET = 'How do I reset my password?';
const CANCEL = 'How do I cancel my subscription?';
const ARTICLE: Record<string, string> = { [RESET]: 'reset-password', [CANCEL]: 'cancel-subscription' };
const CES_BUTTONS = ['1', '2', '3', '4', '5', '6', '7'];

const { attempts, unhandled } = isolateChannelTests();
const postgres = await postgresRequiredInCi('the channel contract suite');

const CHANNELS: ChannelName[] = ['web', 'slack', 'msteams'];
const BACKENDS: Backend[] = ['sqlite', 'postgres'];
const CASES = CHANNELS.flatMap((channel) => BACKENDS.map((backend) => [channel, backend] as [ChannelName, Backend]));

const isCes = (r: Reply) => r.buttons.join() === CES_BUTTONS.join();

/**
 * The rate limit counts per minute; a fixed-window limiter forgets at the minute boundary.
 * Start the burst with enough of the minute left (a clock condition, at most `needMs`).
 */
async function awayFromMinuteBoundary(needMs = 8_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe.each(CASES)('channel contract: %s on %s', (channel, backend) => {
  const available = backend === 'sqlite' || postgres;

  describe.skipIf(!available)('scenarios', () => {
    let d: ChannelDriver;
    beforeAll(async () => {
      d = await openDriver(channel, backend);
    });
    afterAll(async () => {
      await d?.close();
    });

    it('1. answers a question with the matching article', { timeout: 20_000 }, async () => {
      const m = await d.member();
      const answer = await d.ask(m, RESET);
      expect(answer.articleId, answer.text).toBe('reset-password');
      expect(answer.buttons).toEqual(expect.arrayContaining(['This helped', "Didn't help", 'Talk to a person']));
      expect(await storage.countMessages(d.store, m.key, RESET)).toBe(1);
    });

    it('2. keeps a follow-up in the same thread in the same conversation', { timeout: 20_000 }, async () => {
      const m = await d.member();
      const first = await d.ask(m, RESET);
      const second = await d.followUp(m, first, CANCEL);
      expect(second.articleId, second.text).toBe('cancel-subscription');
      const [a, b] = [await storage.conversationIdsOfText(d.store, m.key, RESET), await storage.conversationIdsOfText(d.store, m.key, CANCEL)];
      expect(a).toHaveLength(1);
      expect(b).toEqual(a);
      expect(await storage.conversationsOf(d.store, m.key)).toHaveLength(1);
    });

    it("3. starts a new conversation on a resolved thread's next message", { timeout: 20_000 }, async () => {
      const m = await d.member();
      const answer = await d.ask(m, RESET);
      // "This helped": the bot resolves the conversation and asks the CES question.
      const pressed = await d.press(answer, 'This helped', m);
      const ces = await d.waitForReply(pressed, { match: isCes });
      expect(ces.text).toMatch(/How easy/);
      const [first] = await storage.conversationIdsOfText(d.store, m.key, RESET);
      // The CES question may be on screen a moment before the resolved state is written.
      await pollFor(async () => ((await storage.getConversation(d.store, first!))?.state === 'resolved' ? true : undefined), 'the first conversation resolved', 5_000);

      const next = await d.followUp(m, answer, CANCEL);
      expect(next.articleId, next.text).toBe('cancel-subscription');
      const [second] = await storage.conversationIdsOfText(d.store, m.key, CANCEL);
      expect(second).toBeDefined();
      expect(second).not.toBe(first);
      expect((await storage.conversationsOf(d.store, m.key)).map((c) => c.id)).toEqual([first, second]);
    });

    it("4. ignores another member's press on someone else's buttons", { timeout: 20_000 }, async () => {
      const owner = await d.member();
      const other = await d.member();
      // Where other members can see the buttons: Slack support channel, Teams channel thread.
      const answer = await d.ask(owner, RESET, { shared: true });
      const [conversationId] = await storage.conversationIdsOfText(d.store, owner.key, RESET);
      const stored = (await storage.transcript(d.store, conversationId!)).length;
      const said = d.replies(answer.thread).length;

      const press = await d.press(answer, 'Talk to a person', other);
      const refusal = await d.expectRefusal(press, 'not_allowed');
      if (channel === 'slack') expect(refusal).toMatch(/^These buttons are for <@/);
      await d.settle();

      expect((await storage.transcript(d.store, conversationId!)).length).toBe(stored);
      expect(await storage.ticketOf(d.store, conversationId!)).toBeUndefined();
      expect(await storage.countMessages(d.store, other.key)).toBe(0);
      expect(d.replies(answer.thread).map((r) => r.text)).toHaveLength(said);
    });

    it('5. refuses an oversized message with a clear error, storing nothing', { timeout: 20_000 }, async () => {
      const m = await d.member();
      // Over the limit in UTF-8 bytes, under it in characters.
      const big = 'é'.repeat(Math.floor(d.maxBytes / 2) + 50);
      expect(Buffer.byteLength(big)).toBeGreaterThan(d.maxBytes);
      expect(big.length).toBeLessThan(d.maxBytes);

      const sent = await d.send(m, big);
      const refusal = await d.expectRefusal(sent, 'too_large');
      expect(refusal).toContain(`${d.maxBytes} bytes`);
      await d.settle();
      expect(await storage.countMessages(d.store, m.key)).toBe(0);
      // Nothing but the refusal was said in that thread (Slack's is ephemeral: nothing at all).
      expect(d.replies(sent.thread).filter((r) => !r.text.includes(`${d.maxBytes} bytes`))).toEqual([]);

      // The member is not stuck: the next, normal message is answered.
      const answer = await d.ask(m, RESET);
      expect(answer.articleId).toBe('reset-password');
    });

    it('6. refuses the 4th message within a minute (RATE_LIMIT_VISITOR_PER_MINUTE=3) and stores it not', { timeout: 30_000 }, async () => {
      const limited = await openDriver(channel, backend, { RATE_LIMIT_VISITOR_PER_MINUTE: '3' });
      try {
        await awayFromMinuteBoundary();
        const m = await limited.member();
        const first = await limited.ask(m, RESET);
        await limited.followUp(m, first, CANCEL);
        await limited.followUp(m, first, 'Can I get a refund?');
        const fourthText = 'How do I create an API token?';
        const fourth = await limited.send(m, fourthText, { thread: first.thread });
        const refusal = await limited.expectRefusal(fourth, 'rate_limited');
        expect(refusal).toMatch(/too quickly/);
        await limited.settle();
        expect(await storage.countMessages(limited.store, m.key)).toBe(3);
        expect(await storage.countMessages(limited.store, m.key, fourthText)).toBe(0);
      } finally {
        await limited.close();
      }
    });

    it('7. stores and answers the same platform delivery (sent 3 times) once', { timeout: 20_000 }, async () => {
      const m = await d.member();
      const sent = await d.sendRaw(m, RESET, 3);
      const answer = await d.waitForReply(sent);
      expect(answer.articleId).toBe('reset-password');
      await d.settle();
      expect(await storage.countMessages(d.store, m.key, RESET)).toBe(1);
      expect(d.replies(sent.thread).map((r) => r.text.split('\n')[0])).toHaveLength(1);
    });

    it('8. stores and answers 10 new members sending 2 first messages each at the same moment', { timeout: 30_000 }, async () => {
      const members = await Promise.all(Array.from({ length: 10 }, () => d.member()));
      const sents = (await Promise.all(members.map((m) => d.sendAtOnce(m, [RESET, CANCEL])))).flat();
      const answers = await Promise.allSettled(sents.map((s) => d.waitForReply(s, { match: (r) => r.articleId === ARTICLE[s.text], timeoutMs: 15_000 })));
      const unanswered = answers.flatMap((a, i) => (a.status === 'rejected' ? [`${sents[i]!.member.label}: ${sents[i]!.text}`] : []));

      let stored = 0;
      const notStoredOnce: string[] = [];
      const unansweredInStorage: string[] = [];
      for (const m of members) {
        stored += await storage.countMessages(d.store, m.key);
        for (const text of [RESET, CANCEL]) {
          const n = await storage.countMessages(d.store, m.key, text);
          if (n !== 1) notStoredOnce.push(`${m.label}: "${text}" stored ${n} times`);
        }
        for (const u of await storage.unansweredTexts(d.store, m.key)) unansweredInStorage.push(`${m.label}: "${u.text}"`);
      }
      expect({ stored, notStoredOnce, unanswered, unansweredInStorage }).toEqual({ stored: 20, notStoredOnce: [], unanswered: [], unansweredInStorage: [] });
    });
  });
});

describe('channel contract: isolation', () => {
  it('talked to the fakes only and left no failure unobserved', () => {
    expect(attempts).toEqual([]);
    expect(unhandled).toEqual([]);
  });
});
