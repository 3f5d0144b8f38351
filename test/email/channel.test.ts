import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, backendAvailable } from '../support/stores';
import type { TestServer } from '../support/server';
import { SmtpSink } from './smtp-sink';
import { emailServer, linkAfter, mailer, messagesOf, SUPPORT, ticketOf, until } from './helpers';

/**
 * Issue 13, email as a channel: a new mail to the support address opens a conversation on
 * channel `email`; a confident bot answers by email with "This solved my problem" / "I still
 * need help"; otherwise (or on "still need help") it goes to the queue; agents reply from the
 * console; the reply (from Outlook, quoted) comes back into the same conversation; the
 * dashboard, filters and CSV count channel `email`. Both backends.
 */
for (const backend of BACKENDS) {
  describe.runIf(await backendAvailable(backend))(`email as a channel (${backend.name})`, () => {
    let sink: SmtpSink;
    let server: TestServer;

    beforeAll(async () => {
      sink = await SmtpSink.start();
      server = await emailServer(sink, backend.name);
    });
    afterAll(async () => {
      await server?.close();
      await sink?.close();
    });

    const conversationOfMail = async (messageId: string) =>
      until(async () => {
        const e = await server.desk.store.email.get(messageId);
        return e?.outcome === 'stored' ? e.conversationId! : undefined;
      }, `mail ${messageId} stored`);

    it('answers a clear question by email with two one-click links; "I still need help" queues it; the agent reply and the Outlook answer thread back', async () => {
      const info = await mailer(server).sendMail({ from: 'Dee Customer <dee@example.com>', to: SUPPORT, subject: 'Password', text: 'How do I reset my password?' });
      const conversationId = await conversationOfMail(info.messageId.slice(1, -1));
      const conversation = (await server.desk.store.conversations.get(conversationId))!;
      expect(conversation.channel).toBe('email');
      const answer = await sink.waitFor(() => sink.to('dee@example.com')[0], 'the bot answer');
      expect(answer.parsed.subject).toBe('Re: Password');
      expect(answer.parsed.inReplyTo).toBe(info.messageId);
      expect(answer.text).toMatch(/reset/i);
      expect(answer.raw).toMatch(/^Auto-Submitted: auto-replied/m);
      const help = new URL(linkAfter(answer.text, 'I still need help')).pathname;
      expect(linkAfter(answer.text, 'This solved my problem')).toContain('/email/l/');
      const page = await fetch(server.url + help);
      expect(page.status).toBe(200);
      const ticket = await until(() => ticketOf(server, conversationId), 'the ticket');
      expect(ticket.channel).toBe('email');
      // A second click of either link changes nothing.
      expect(await (await fetch(server.url + help)).text()).toContain('You already told us');
      expect((await server.desk.store.tickets.byConversation(conversationId))!.id).toBe(ticket.id);

      // The agent replies from the console; the customer answers from Outlook, quoted.
      await server.admin(`/api/tickets/${ticket.id}/reply`, { method: 'POST', body: JSON.stringify({ text: 'Which device are you on?' }) });
      const agentMail = await sink.waitFor(() => sink.to('dee@example.com').find((m) => m.text.includes('Which device')), 'the agent reply');
      expect(agentMail.text).not.toContain('Continue in chat');
      const token = /reply\+([a-z2-7]{48})@/.exec(agentMail.parsed.replyTo!.text)![1]!;
      const raw = readFileSync(join(import.meta.dirname, 'fixtures', 'outlook.eml'), 'utf8').replaceAll('REPLACE_TOKEN', token).replace('bo.customer@outlook.com>', 'dee@example.com>');
      await mailer(server).sendMail({ envelope: { from: 'dee@example.com', to: [`reply+${token}@reply.tidyflow.test`] }, raw });
      const back = await until(async () => (await messagesOf(server, conversationId)).find((m) => m.author === 'customer' && m.content.type === 'text' && m.content.text.includes('error 502')), 'the Outlook reply');
      expect(back.content.type === 'text' && back.content.text).not.toMatch(/From: Tidyflow|Continue in chat|export is fixed/);

      // Filters, dashboard and CSV count channel email.
      const list = (await (await server.admin('/api/tickets?channel=email')).json()) as { tickets: { id: string }[] };
      expect(list.tickets.map((t) => t.id)).toContain(ticket.id);
      const metrics = (await (await server.admin('/api/metrics?channel=email')).json()) as { totals?: { conversations: number }; conversations?: number };
      expect(JSON.stringify(metrics)).toMatch(/"conversations":[1-9]/);
      const csv = await server.admin('/api/metrics/daily.csv?channel=email');
      expect(csv.status).toBe(200);
    });

    it('a question the bot is not sure about goes straight to the queue, without a bot guess by email', async () => {
      const info = await mailer(server).sendMail({ from: 'eve@example.com', to: SUPPORT, subject: 'Contract question', text: 'Our legal team needs a signed DPA with clause 7.3 amended before renewal.' });
      const conversationId = await conversationOfMail(info.messageId.slice(1, -1));
      const ticket = await until(() => ticketOf(server, conversationId), 'the ticket');
      expect(ticket.status).toBe('open');
      const messages = await messagesOf(server, conversationId);
      expect(messages.filter((m) => m.author === 'bot' && m.content.type !== 'text')).toEqual([]);
      expect(messages.find((m) => m.author === 'customer')!.content).toMatchObject({ type: 'text', text: expect.stringContaining('Contract question') });
    });

    it('"This solved my problem" resolves it and the effort question follows by email', async () => {
      const info = await mailer(server).sendMail({ from: 'fay@example.com', to: SUPPORT, subject: 'Cancel', text: 'How do I cancel my subscription?' });
      const conversationId = await conversationOfMail(info.messageId.slice(1, -1));
      const answer = await sink.waitFor(() => sink.to('fay@example.com')[0], 'the bot answer');
      const solved = await fetch(server.url + new URL(linkAfter(answer.text, 'This solved my problem')).pathname);
      expect(await solved.text()).toContain('How easy was it');
      await until(async () => (await server.desk.store.conversations.get(conversationId))?.state === 'resolved', 'resolved');
      const ces = await sink.waitFor(() => sink.to('fay@example.com').find((m) => m.text.includes('How easy was it')), 'the CES email');
      const seven = new URL(/^7 \(very easy\): (\S+)/m.exec(ces.text)![1]!).pathname;
      expect(await (await fetch(server.url + seven)).text()).toContain('You answered 7 out of 7.');
      const surveys = await server.desk.store.surveys.list({ from: '2000-01-01', to: '2100-01-01', channel: 'email' });
      expect(surveys.filter((s) => s.conversationId === conversationId)).toMatchObject([{ score: 7, humanInvolved: false }]);
    });

    it('the same mail delivered twice (same Message-ID) is stored and answered once', async () => {
      const mail = { from: 'gus@example.com', to: SUPPORT, subject: 'Refund', text: 'Can I get a refund?', messageId: '<twice-1@example.com>' };
      await mailer(server).sendMail(mail);
      await mailer(server).sendMail(mail);
      const conversationId = await conversationOfMail('twice-1@example.com');
      await sink.waitFor(() => sink.to('gus@example.com')[0], 'the answer');
      await until(async () => (await server.desk.store.outbox.pending()) === 0, 'the outbox to drain');
      expect((await messagesOf(server, conversationId)).filter((m) => m.author === 'customer')).toHaveLength(1);
      expect(sink.to('gus@example.com')).toHaveLength(1);
    });
  });
}
