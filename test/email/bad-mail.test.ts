import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailTokens } from '../../server/channels/email/tokens';
import { BACKENDS, backendAvailable } from '../support/stores';
import type { TestServer } from '../support/server';
import { SmtpSink } from './smtp-sink';
import { emailServer, mailer, messagesOf, SUPPORT, until } from './helpers';

const SECRET = 'bad-mail-secret-0123456789abcdefghijklmnop';

/**
 * Issue 13, bad mail never hurts — each case with its defined outcome:
 * oversized → 552 at SMTP time, nothing stored; malformed MIME → accepted and recorded, no
 * crash, the server keeps working; thousands of recipients → 452 after the limit for the
 * envelope, the header list kept to 100; HTML with scripts → sanitised, never raw; an
 * attachment over the limit → noted, not stored; auto-replies, bounces, bulk mail and our own
 * Message-IDs → recorded as ignored, no ticket, no reply; a forged or expired reply token → a
 * new conversation from that sender, never someone else's.
 */
for (const backend of BACKENDS) {
  describe.runIf(await backendAvailable(backend))(`bad mail (${backend.name})`, () => {
    let sink: SmtpSink;
    let server: TestServer;

    beforeAll(async () => {
      sink = await SmtpSink.start();
      server = await emailServer(sink, backend.name, { SECRET, EMAIL_MAX_BYTES: '60000', EMAIL_ATTACHMENT_MAX_BYTES: '2000', EMAIL_MAX_RECIPIENTS: '50' });
    });
    afterAll(async () => {
      await server?.close();
      await sink?.close();
    });

    const outcome = (messageId: string) => until(async () => {
      const e = await server.desk.store.email.get(messageId);
      return e && e.outcome !== 'received' ? e : undefined;
    }, `outcome of ${messageId}`);
    const conversationsOf = async (address: string) => {
      const customer = await server.desk.store.customers.findByExternalId('email', address);
      return customer ? server.desk.store.conversations.listOfCustomer(customer.id) : [];
    };

    it('refuses an oversized message at SMTP time with 552 and stores nothing', async () => {
      const big = 'x'.repeat(100_000);
      const err = await mailer(server)
        .sendMail({ from: 'big@example.com', to: SUPPORT, subject: 'Huge', text: big, messageId: '<huge-1@example.com>' })
        .then(() => undefined, (e: { responseCode?: number }) => e);
      expect(err?.responseCode).toBe(552);
      expect(await server.desk.store.email.get('huge-1@example.com')).toBeUndefined();
      expect(await conversationsOf('big@example.com')).toEqual([]);
    });

    it('takes malformed MIME without crashing: recorded with a defined outcome, and the receiver keeps working', async () => {
      const raw = 'From: broken@example.com\r\nTo: support@tidyflow.test\r\nMessage-ID: <broken-1@example.com>\r\nContent-Type: multipart/mixed; boundary="never-closed"\r\nContent-Transfer-Encoding: base64\r\n\r\n--never-closed\r\nContent-Type: text/plain; charset=x-unknown\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%not base64%%%\r\n\u0000\u0001\u0002';
      await mailer(server).sendMail({ envelope: { from: 'broken@example.com', to: [SUPPORT] }, raw });
      const e = await outcome('broken-1@example.com');
      expect(e.outcome).toMatch(/^(stored|ignored:(empty|malformed))$/);
      const ok = await mailer(server).sendMail({ from: 'after@example.com', to: SUPPORT, subject: 'Still there?', text: 'How do I reset my password?' });
      expect(ok.accepted).toEqual([SUPPORT]);
    });

    it('thousands of recipients: the envelope is cut at the limit (452), the mail is stored once, the header list kept to 100', async () => {
      const many = Array.from({ length: 2000 }, (_, i) => `support+${i}@tidyflow.test`);
      const info = await mailer(server).sendMail({ from: 'crowd@example.com', to: many, subject: 'Everyone', text: 'Can I get a refund?', messageId: '<crowd-1@example.com>' });
      expect(info.accepted.length).toBe(50);
      expect(info.rejected.length).toBe(1950);
      const e = await outcome('crowd-1@example.com');
      expect(e.outcome).toBe('stored');
      expect(e.to).toHaveLength(100);
      expect(await conversationsOf('crowd@example.com')).toHaveLength(1);
      // Mail for addresses that are not ours is refused: the receiver is no relay.
      const relay = await mailer(server).sendMail({ from: 'crowd@example.com', to: 'victim@elsewhere.test', text: 'spam' }).then(() => undefined, (err: { responseCode?: number }) => err);
      expect(relay?.responseCode).toBe(550);
    });

    it('sanitises HTML with scripts: the chat gets text, the stored original has no script or handlers', async () => {
      await mailer(server).sendMail({
        from: 'html@example.com',
        to: SUPPORT,
        subject: 'Hello',
        html: '<p>My <b>export</b> fails<script>alert(1)</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">x</a></p>',
        messageId: '<html-1@example.com>',
      });
      const e = await outcome('html-1@example.com');
      expect(e.html).toContain('<b>export</b>');
      expect(e.html).not.toMatch(/script|onerror|javascript:|<img/i);
      const [message] = (await messagesOf(server, e.conversationId!)).filter((m) => m.author === 'customer');
      expect(message!.content.type === 'text' && message!.content.text).toContain('My export fails');
      expect(JSON.stringify(message!.content)).not.toMatch(/<script|alert\(1\)/);
    });

    it('notes an attachment over the limit instead of storing it', async () => {
      await mailer(server).sendMail({
        from: 'files@example.com',
        to: SUPPORT,
        subject: 'Invoice',
        text: 'See the attached invoice, the total is wrong.',
        attachments: [{ filename: 'invoice.pdf', content: Buffer.alloc(5000, 7), contentType: 'application/pdf' }],
        messageId: '<files-1@example.com>',
      });
      const e = await outcome('files-1@example.com');
      expect(e.attachments).toEqual([{ filename: 'invoice.pdf', contentType: 'application/pdf', size: 5000, note: 'over the 2000-byte limit: not stored' }]);
      const [message] = (await messagesOf(server, e.conversationId!)).filter((m) => m.author === 'customer');
      expect(message!.content.type === 'text' && message!.content.text).toContain('An attachment: invoice.pdf — see the original email');
    });

    it('never opens a ticket nor replies to auto-replies, bounces, bulk mail or our own messages', async () => {
      const cases: { id: string; reason: string; mail: Record<string, unknown> }[] = [
        { id: 'ooo-1@example.com', reason: 'auto_reply', mail: { from: 'ooo@example.com', headers: { 'Auto-Submitted': 'auto-replied' }, subject: 'Out of office', text: 'I am away until Monday. How do I reset my password?' } },
        { id: 'ooo-2@example.com', reason: 'auto_reply', mail: { from: 'ooo@example.com', headers: { 'X-Autoreply': 'yes' }, subject: 'Automatic reply', text: 'Away' } },
        { id: 'bulk-1@example.com', reason: 'bulk', mail: { from: 'news@example.com', headers: { Precedence: 'bulk' }, subject: 'Newsletter', text: 'Can I get a refund?' } },
        { id: 'bounce-1@example.com', reason: 'bounce', mail: { from: 'MAILER-DAEMON@mx.example.com', subject: 'Undelivered Mail Returned to Sender', text: 'Delivery failed' } },
      ];
      for (const c of cases) await mailer(server).sendMail({ to: SUPPORT, messageId: `<${c.id}>`, ...c.mail });
      // A mail carrying one of our own Message-IDs (our email, looped back by a forwarder).
      const sent = await mailer(server).sendMail({ from: 'loop@example.com', to: SUPPORT, subject: 'Ping', text: 'How do I reset my password?' });
      const sentId = sent.messageId.slice(1, -1);
      const ours = await sink.waitFor(() => sink.to('loop@example.com')[0], 'our answer');
      const looped = await mailer(server).sendMail({ envelope: { from: 'loop@example.com', to: [SUPPORT] }, raw: ours.raw });
      expect(looped.response).toMatch(/own_message/);
      for (const c of cases) expect((await outcome(c.id)).outcome).toBe(`ignored:${c.reason}`);
      expect(await server.desk.store.email.get(ours.messageId.slice(1, -1))).toMatchObject({ direction: 'out', outcome: 'sent' });
      expect(await conversationsOf('ooo@example.com')).toEqual([]);
      expect(await conversationsOf('news@example.com')).toEqual([]);
      expect(await conversationsOf('mailer-daemon@mx.example.com')).toEqual([]);
      expect(await conversationsOf('loop@example.com')).toHaveLength(1);
      expect((await server.desk.store.email.get(sentId))?.outcome).toBe('stored');
      await until(async () => (await server.desk.store.outbox.pending()) === 0, 'the outbox to drain');
      for (const who of ['ooo@example.com', 'news@example.com', 'MAILER-DAEMON@mx.example.com']) expect(sink.to(who)).toEqual([]);
      expect(sink.to('loop@example.com')).toHaveLength(1);
    });

    it('a forged or expired reply token starts a new conversation from that sender, never someone else\'s', async () => {
      const victim = await mailer(server).sendMail({ from: 'victim@example.com', to: SUPPORT, subject: 'Private', text: 'How do I cancel my subscription?' });
      const victimConversation = (await outcome(victim.messageId.slice(1, -1))).conversationId!;
      const forged = 'a'.repeat(48);
      const expired = new EmailTokens(SECRET, 60_000, () => Date.now() - 10 * 60_000).replyToken(victimConversation);
      const valid = new EmailTokens(SECRET, 60_000).replyToken(victimConversation);
      expect(server.desk.email!.tokens.verifyReply(valid)).toEqual({ conversationId: victimConversation });
      for (const [i, token] of [forged, expired].entries()) {
        const info = await mailer(server).sendMail({ from: 'mallory@example.com', to: `reply+${token}@reply.tidyflow.test`, subject: 'Re: Private', text: `Let me in ${i}`, messageId: `<forged-${i}-${randomUUID()}@example.com>` });
        const e = await outcome(info.messageId.slice(1, -1));
        expect(e.outcome).toBe('stored');
        expect(e.conversationId).not.toBe(victimConversation);
      }
      expect(await conversationsOf('mallory@example.com')).toHaveLength(2);
      expect((await messagesOf(server, victimConversation)).some((m) => m.content.type === 'text' && m.content.text.startsWith('Let me in'))).toBe(false);
    });
  });
}
