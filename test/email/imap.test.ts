import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TAKEN_KEYWORD } from '../../server/channels/email/imap';
import { BACKENDS, backendAvailable } from '../support/stores';
import type { TestServer } from '../support/server';
import { type Dovecot, startDovecot } from './dovecot';
import { SmtpSink } from './smtp-sink';
import { emailServer, mailer, messagesOf, SUPPORT, until } from './helpers';

/**
 * Issue 13, receiving from an existing mailbox: a real dovecot (started by the test with its
 * own configuration and Maildir on 127.0.0.1), mail put in by IMAP APPEND. The poll interval
 * is long (60 s), so what brings the mail in within the test is IDLE. A reply that lost the
 * plus address still threads through In-Reply-To; a mail that arrives both by IMAP and by
 * SMTP is stored once.
 */
for (const backend of BACKENDS) {
  describe.runIf(await backendAvailable(backend))(`IMAP polling with IDLE (${backend.name})`, () => {
    let dovecot: Dovecot;
    let sink: SmtpSink;
    let server: TestServer;
    let client: ImapFlow;

    beforeAll(async () => {
      dovecot = await startDovecot();
      sink = await SmtpSink.start();
      server = await emailServer(sink, backend.name, { IMAP_URL: dovecot.url(), IMAP_POLL_SECONDS: '60' });
      client = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.pass }, logger: false });
      await client.connect();
      await until(() => server.desk.email!.imap!.rounds > 0, 'the first IMAP round');
    });
    afterAll(async () => {
      await client?.logout().catch(() => undefined);
      await server?.close();
      await sink?.close();
      await dovecot?.stop();
    });

    const append = (raw: string) => client.append('INBOX', raw.replace(/\n/g, '\r\n'));
    const stored = (messageId: string) =>
      until(async () => {
        const e = await server.desk.store.email.get(messageId);
        return e?.outcome === 'stored' ? e : undefined;
      }, `mail ${messageId} stored`);

    it('takes a new mail from the mailbox as it arrives, answers it, and marks it taken', async () => {
      await append(`From: Hal <hal@example.com>\nTo: ${SUPPORT}\nSubject: Password\nMessage-ID: <imap-1@example.com>\nDate: Tue, 24 Nov 2026 17:00:00 +0000\n\nHow do I reset my password?\n`);
      const e = await stored('imap-1@example.com');
      expect(e.via).toBe('imap');
      expect((await server.desk.store.conversations.get(e.conversationId!))!.channel).toBe('email');
      const answer = await sink.waitFor(() => sink.to('hal@example.com')[0], 'the answer by email');
      const lock = await client.getMailboxLock('INBOX');
      try {
        const taken = await until(async () => ((await client.search({ keyword: TAKEN_KEYWORD }, { uid: true })) || []).length >= 1, 'the taken keyword');
        expect(taken).toBe(true);
      } finally {
        lock.release();
      }

      // The customer's reply reaches the plain mailbox (no plus address): In-Reply-To carries our signed Message-ID.
      await append(
        `From: Hal <hal@example.com>\nTo: ${SUPPORT}\nSubject: Re: Password\nMessage-ID: <imap-2@example.com>\nIn-Reply-To: ${answer.messageId}\nReferences: <imap-1@example.com> ${answer.messageId}\n\nThat worked, thanks.\n\nOn Tue, Nov 24, 2026 at 5:01 PM Tidyflow Support <${SUPPORT}> wrote:\n> Here is how to reset it\n`,
      );
      const reply = await stored('imap-2@example.com');
      expect(reply.conversationId).toBe(e.conversationId);
      const last = (await messagesOf(server, e.conversationId!)).filter((m) => m.author === 'customer').at(-1)!;
      expect(last.content).toEqual({ type: 'text', text: 'That worked, thanks.' });
    });

    it('a mail arriving both by IMAP and by SMTP is stored once', async () => {
      const raw = `From: ida@example.com\nTo: ${SUPPORT}\nSubject: Refund\nMessage-ID: <both-1@example.com>\n\nCan I get a refund?\n`;
      await mailer(server).sendMail({ envelope: { from: 'ida@example.com', to: [SUPPORT] }, raw });
      await append(raw);
      const e = await stored('both-1@example.com');
      expect(e.via).toBe('smtp');
      const roundsBefore = server.desk.email!.imap!.rounds;
      await until(() => server.desk.email!.imap!.rounds > roundsBefore, 'the IMAP round that sees it');
      const lock = await client.getMailboxLock('INBOX');
      try {
        await until(async () => ((await client.search({ unKeyword: TAKEN_KEYWORD }, { uid: true })) || []).length === 0, 'every mail taken');
      } finally {
        lock.release();
      }
      expect((await messagesOf(server, e.conversationId!)).filter((m) => m.author === 'customer')).toHaveLength(1);
      await until(async () => (await server.desk.store.outbox.pending()) === 0, 'the outbox to drain');
      expect(sink.to('ida@example.com')).toHaveLength(1);
    });
  });
}
