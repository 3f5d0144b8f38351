import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, backendAvailable } from '../support/stores';
import type { TestServer } from '../support/server';
import { WidgetClient } from '../support/widget-client';
import { SmtpSink } from './smtp-sink';
import { emailServer, linkAfter, mailer, messagesOf, REPLY_DOMAIN, SUPPORT, ticketOf, until } from './helpers';

/**
 * Issue 13, continuity: a widget visitor who asked for a person, left an email and closed the
 * tab gets the agent's reply by email (HTML + text, context, "Continue in chat", threading
 * headers, a signed Reply-To), replies written close together go out as one email, the reply
 * by email lands in the same conversation without its quoted history, and the link reopens
 * the conversation in another browser. Both backends.
 */
for (const backend of BACKENDS) {
  describe.runIf(await backendAvailable(backend))(`email continuity (${backend.name})`, () => {
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

    /** A visitor who asked for a person with nobody online, left `email` and closed the tab. */
    async function visitorWhoLeft(email: string): Promise<{ conversationId: string; ticketId: string; visitor: WidgetClient }> {
      const visitor = new WidgetClient(server.url);
      await visitor.session();
      await visitor.connect();
      visitor.say('My invoices are missing from the billing page');
      await visitor.waitForMessage((m) => m.author === 'bot');
      visitor.press({ kind: 'handoff' }, 'Talk to a person');
      await visitor.waitForMessage((m) => m.content.type === 'email_request');
      visitor.press({ kind: 'email', email }, email);
      await visitor.waitFor((f) => f.type === 'conversation' && f.conversation.email === email);
      const conversationId = visitor.conversationId!;
      visitor.close();
      await until(async () => !(await server.desk.store.email.presence.online((await server.desk.store.conversations.get(conversationId))!.customerId)), 'the visitor to be offline');
      const ticket = (await ticketOf(server, conversationId))!;
      return { conversationId, ticketId: ticket.id, visitor };
    }

    const reply = (ticketId: string, text: string) => server.admin(`/api/tickets/${ticketId}/reply`, { method: 'POST', body: JSON.stringify({ text }) });
    const reach = async (ticketId: string) => ((await (await server.admin(`/api/tickets/${ticketId}/reach`)).json()) as { reach: { kind: string }; text: string });

    it('emails an offline visitor the agent replies (batched into one), threaded, with context and a way back', async () => {
      const { conversationId, ticketId } = await visitorWhoLeft('ana.customer@example.com');
      expect((await reach(ticketId)).text).toBe('The customer is offline: this reply will be emailed to ana.customer@example.com.');
      expect((await reply(ticketId, 'Hi Ana, **sorry** about that. I have restored the invoices.')).status).toBe(201);
      expect((await reply(ticketId, 'They should show up on the billing page now.')).status).toBe(201);
      const mail = await sink.waitFor(() => sink.to('ana.customer@example.com')[0], 'the reply email');
      // Exactly one email for both replies written within the window.
      await until(async () => (await server.desk.store.outbox.pending()) === 0, 'the outbox to drain');
      expect(sink.to('ana.customer@example.com')).toHaveLength(1);
      expect(mail.text).toContain('I have restored the invoices.');
      expect(mail.text).toContain('They should show up on the billing page now.');
      expect(mail.text).toContain('My invoices are missing from the billing page'); // context
      expect(mail.html).toContain('<strong>sorry</strong>'); // the chat's Markdown, rendered and sanitised
      expect(mail.parsed.from?.value[0]?.address).toBe(SUPPORT);
      const replyTo = mail.parsed.replyTo?.value[0]?.address ?? '';
      expect(replyTo).toMatch(new RegExp(`^reply\\+[a-z2-7]{48}@${REPLY_DOMAIN.replace(/\./g, '\\.')}$`));
      expect(mail.messageId).toMatch(new RegExp(`^<[a-z2-7]{48}\\.\\d+@${REPLY_DOMAIN.replace(/\./g, '\\.')}>$`));
      expect(linkAfter(mail.text, 'Continue in chat')).toContain('/email/l/');

      // A second round of replies later: a new email in the same thread.
      expect((await reply(ticketId, 'One more thing: the PDF export is fixed too.')).status).toBe(201);
      const second = await sink.waitFor(() => sink.to('ana.customer@example.com')[1], 'the second email');
      expect(second.parsed.inReplyTo).toBe(mail.messageId);
      expect(second.parsed.references).toContain(mail.messageId);
      expect(second.text).toContain('PDF export');
      expect(second.text).not.toContain('I have restored the invoices.\n\nThey should');

      // The customer answers by email from Gmail: quoted history never reaches the chat.
      await mailer(server).sendMail({
        from: 'Ana Customer <ana.customer@example.com>',
        to: replyTo,
        subject: `Re: ${second.parsed.subject}`,
        inReplyTo: second.messageId,
        references: [mail.messageId, second.messageId],
        text: `Thank you, it all works now!\n\nOn Tue, Nov 24, 2026 at 5:01 PM Tidyflow Support <${SUPPORT}> wrote:\n> One more thing: the PDF export is fixed too.\n> \n> Continue in chat: http://x\n`,
      });
      const answer = await until(async () => (await messagesOf(server, conversationId)).find((m) => m.author === 'customer' && m.clientId?.startsWith('email:')), 'the email reply in the conversation');
      expect(answer.content).toEqual({ type: 'text', text: 'Thank you, it all works now!' });
      // The full original is one click away in the console.
      const original = (await (await server.admin(`/api/email/original/${answer.id}`)).json()) as { email: { text: string; from: string } };
      expect(original.email.from).toBe('ana.customer@example.com');
      expect(original.email.text).toContain('> One more thing');
    });

    it('"Continue in chat" opens the same conversation in another browser, with the reply shown', async () => {
      const { conversationId, ticketId } = await visitorWhoLeft('bo.customer@example.com');
      await reply(ticketId, 'Hello Bo, the answer is 42.');
      const mail = await sink.waitFor(() => sink.to('bo.customer@example.com')[0], 'the reply email');
      const link = new URL(linkAfter(mail.text, 'Continue in chat'));
      const page = await fetch(server.url + link.pathname);
      expect(page.status).toBe(200);
      const html = await page.text();
      const token = /setItem\('answerdesk:'\+k\+':token',"([^"]+)"\)/.exec(html)?.[1];
      expect(token).toBeTruthy();
      // Another browser: nothing stored but what the page gave it.
      const elsewhere = new WidgetClient(server.url);
      elsewhere.token = token!;
      await elsewhere.session();
      await elsewhere.connect();
      expect(elsewhere.conversationId).toBe(conversationId);
      await elsewhere.waitForMessage((m) => m.author === 'agent' && m.content.type === 'text' && m.content.text === 'Hello Bo, the answer is 42.');
      // Back in the widget: the agent's next reply is seen live, not emailed.
      await until(async () => (await reach(ticketId)).reach.kind === 'live', 'the console to see the customer back');
      await reply(ticketId, 'Glad you are back.');
      await elsewhere.waitForMessage((m) => m.author === 'agent' && m.content.type === 'text' && m.content.text === 'Glad you are back.');
      await until(async () => (await server.desk.store.outbox.pending()) === 0, 'the outbox to drain');
      expect(sink.to('bo.customer@example.com')).toHaveLength(1);
      elsewhere.close();
      // A forged or expired link is a clear 410, never a 5xx.
      const [body, mac] = link.pathname.split('/').pop()!.split('.');
      const tampered = `${body}.${mac!.slice(0, 5)}${mac![5] === 'A' ? 'B' : 'A'}${mac!.slice(6)}`;
      expect((await fetch(`${server.url}/email/l/${tampered}`)).status).toBe(410);
      expect((await fetch(`${server.url}/email/l/garbage`)).status).toBe(410);
    });

    it('an older conversation\'s link opens that conversation, not the newer one the customer started since', async () => {
      const { conversationId, ticketId } = await visitorWhoLeft('eve.customer@example.com');
      await reply(ticketId, 'Eve, your export is fixed.');
      const mail = await sink.waitFor(() => sink.to('eve.customer@example.com')[0], 'the reply email');
      expect((await server.admin(`/api/tickets/${ticketId}/resolve`, { method: 'POST' })).status).toBe(200);
      const html = await (await fetch(server.url + new URL(linkAfter(mail.text, 'Continue in chat')).pathname)).text();
      const token = /setItem\('answerdesk:'\+k\+':token',"([^"]+)"\)/.exec(html)![1]!;
      const pin = /setItem\('answerdesk:'\+k\+':pin',"([^"]+)"\)/.exec(html)?.[1];
      expect(pin).toBe(conversationId);
      // Since then the customer came back and started a new conversation in the widget.
      const later = new WidgetClient(server.url);
      later.token = token;
      await later.session();
      await later.connect();
      later.say('How do I export my projects to CSV?');
      await later.waitFor((f) => f.type === 'conversation' && f.conversation.id !== conversationId);
      const newer = later.conversationId!;
      later.close();
      // Without the pin the widget shows the newest; with it, the linked one and its reply.
      const plain = new WidgetClient(server.url);
      plain.token = token;
      await plain.session();
      await plain.connect();
      expect(plain.conversationId).toBe(newer);
      plain.close();
      const linked = new WidgetClient(server.url);
      linked.token = token;
      await linked.session();
      await linked.connect(0, token, pin);
      expect(linked.conversationId).toBe(conversationId);
      await linked.waitForMessage((m) => m.conversationId === conversationId && m.author === 'agent' && m.content.type === 'text' && m.content.text === 'Eve, your export is fixed.');
      // Writing on: the resolved conversation gives way to the customer's open one.
      linked.say('And can I import from CSV too?');
      await linked.waitFor((f) => f.type === 'conversation' && f.conversation.id === newer);
      linked.close();
      // A pin naming someone else's conversation is ignored: the widget shows its own latest.
      const stranger = new WidgetClient(server.url);
      await stranger.session();
      await stranger.connect(0, stranger.token, conversationId);
      expect(stranger.conversationId).not.toBe(conversationId);
      stranger.close();
      // The effort question the resolve sent leaves before the next test counts the relay's mail.
      await sink.waitFor(() => sink.to('eve.customer@example.com').find((m) => m.text.includes('How easy was it')), 'the CES email');
      await until(async () => (await server.desk.store.outbox.pending()) === 0, 'the outbox to drain');
    });

    it('a relay failure is retried with backoff and shown on the ticket meanwhile, then the email goes out once', async () => {
      const { ticketId } = await visitorWhoLeft('dan.customer@example.com');
      sink.failNext = 1;
      await reply(ticketId, 'Sent despite a relay hiccup.');
      const problem = await until(async () => {
        const detail = (await (await server.admin(`/api/tickets/${ticketId}`)).json()) as { deliveryProblems: { channel: string; state: string; reason: string }[] };
        return detail.deliveryProblems.find((p) => p.channel === 'email');
      }, 'the delivery problem on the ticket');
      expect(problem).toMatchObject({ state: 'pending', reason: expect.stringMatching(/^SMTP 451/) });
      await sink.waitFor(() => sink.to('dan.customer@example.com')[0], 'the email after the retry');
      await until(async () => (await server.desk.store.outbox.pending()) === 0, 'the outbox to drain');
      expect(sink.to('dan.customer@example.com')).toHaveLength(1);
    });

    it('an offline visitor without an email: the console says they will see it when they return, and nothing is sent', async () => {
      const visitor = new WidgetClient(server.url);
      await visitor.session();
      await visitor.connect();
      visitor.press({ kind: 'handoff' }, 'Talk to a person');
      await visitor.waitForMessage((m) => m.content.type === 'email_request');
      const conversationId = visitor.conversationId!;
      visitor.close();
      const customerId = (await server.desk.store.conversations.get(conversationId))!.customerId;
      await until(async () => !(await server.desk.store.email.presence.online(customerId)), 'offline');
      const ticket = (await ticketOf(server, conversationId))!;
      expect((await reach(ticket.id)).text).toBe('The customer is offline and left no email: they will see this reply when they return to the chat.');
      const before = sink.mails.length;
      await reply(ticket.id, 'Answer waiting in the chat.');
      await until(async () => (await server.desk.store.outbox.pending()) === 0, 'the outbox to drain');
      expect(sink.mails.length).toBe(before);
    });

    it('resolving for an offline visitor emails the effort question as 1–7 links; one click records it, once; a comment can follow', async () => {
      const { conversationId, ticketId } = await visitorWhoLeft('cy.customer@example.com');
      await reply(ticketId, 'Fixed it for you.');
      expect((await server.admin(`/api/tickets/${ticketId}/resolve`, { method: 'POST' })).status).toBe(200);
      const mail = await sink.waitFor(() => sink.to('cy.customer@example.com').find((m) => m.text.includes('How easy was it')), 'the CES email');
      for (const s of [1, 2, 3, 4, 5, 6, 7]) expect(mail.text).toMatch(new RegExp(`^${s}( \\([a-z ]+\\))?: http`, 'm'));
      const six = new URL(linkAfter(mail.text, '6 \\(|6')).pathname;
      const first = await fetch(server.url + six);
      expect(first.status).toBe(200);
      expect(await first.text()).toContain('You answered 6 out of 7.');
      const two = new URL(/^2: (\S+)/m.exec(mail.text)![1]!).pathname;
      expect(await (await fetch(server.url + two)).text()).toContain('We already have your answer');
      const comment = await fetch(`${server.url}${six}/comment`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'comment=Quick+and+kind' });
      expect(await comment.text()).toContain('Your comment was saved');
      const surveys = await server.desk.store.surveys.list({ from: '2000-01-01', to: '2100-01-01' });
      const mine = surveys.filter((s) => s.conversationId === conversationId);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ score: 6, comment: 'Quick and kind', channel: 'web', humanInvolved: true });
    });
  });
}
