import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, prepareKnowledgeIndex, SCALE_ADMIN_TOKEN, type ServerProcess, spawnServer } from '../scale/cluster';
import { dropSchema, freshSchema, postgresRequiredInCi, TEST_DATABASE_URL } from '../support/stores';
import { WidgetClient } from '../support/widget-client';
import { SmtpSink } from './smtp-sink';
import { linkAfter, REPLY_DOMAIN, SUPPORT, until } from './helpers';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const postgres = await postgresRequiredInCi('the two-instance email flow');

/**
 * Issue 13 on two instances sharing PostgreSQL (real server processes, LISTEN/NOTIFY): the
 * visitor's widget is on B while the agent works on A — A knows the customer is there (presence
 * is shared), and knows when they left; A's reply is emailed; the answer by email arrives at
 * A's SMTP receiver; "Continue in chat" opened against B shows both, without quoted history.
 */
describe.skipIf(!postgres)('email continuity across two instances (PostgreSQL)', () => {
  const schema = freshSchema();
  let workDir: string;
  let sink: SmtpSink;
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  let smtpA: number;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'answerdesk-email-two-'));
    const knowledgeIndex = prepareKnowledgeIndex(workDir);
    sink = await SmtpSink.start();
    smtpA = await freePort();
    const env = (smtp: number) => ({
      SMTP_URL: sink.url,
      EMAIL_FROM: `"Tidyflow Support" <${SUPPORT}>`,
      EMAIL_REPLY_DOMAIN: REPLY_DOMAIN,
      EMAIL_BATCH_SECONDS: '0.3',
      INBOUND_SMTP_PORT: String(smtp),
      INBOUND_SMTP_HOST: '127.0.0.1',
      OUTBOX_POLL_MS: '200',
    });
    const db = { databaseUrl: TEST_DATABASE_URL, databaseSchema: schema };
    // Migrate once (A), then B joins.
    a = await spawnServer({ label: 'A', dataDir: join(workDir, 'a'), knowledgeIndex, ...db, env: env(smtpA) });
    b = await spawnServer({ label: 'B', dataDir: join(workDir, 'b'), knowledgeIndex, ...db, env: env(await freePort()) });
  }, 90_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await sink?.close();
    await dropSchema(schema);
    rmSync(workDir, { recursive: true, force: true });
  }, 30_000);

  it('A sees the visitor on B, emails them once they left, and the email answer shows on B', { timeout: 60_000 }, async () => {
    const api = (path: string, init: RequestInit = {}) => fetch(a!.url + path, { ...init, headers: { authorization: `Bearer ${SCALE_ADMIN_TOKEN}`, 'content-type': 'application/json' } });
    const visitor = new WidgetClient(b!.url, ORIGIN);
    await visitor.session();
    await visitor.connect();
    visitor.press({ kind: 'handoff' }, 'Talk to a person');
    await visitor.waitForMessage((m) => m.content.type === 'email_request');
    visitor.press({ kind: 'email', email: 'jo@example.com' }, 'jo@example.com');
    await visitor.waitFor((f) => f.type === 'conversation' && f.conversation.email === 'jo@example.com');
    const conversationId = visitor.conversationId!;
    const ticket = await until(async () => {
      const { tickets } = (await (await api('/api/tickets')).json()) as { tickets: { id: string; conversationId: string }[] };
      return tickets.find((t) => t.conversationId === conversationId);
    }, 'the ticket on A');
    const reach = async () => ((await (await api(`/api/tickets/${ticket.id}/reach`)).json()) as { reach: { kind: string }; text: string });
    expect((await reach()).reach.kind).toBe('live');

    visitor.close();
    await until(async () => (await reach()).reach.kind === 'email', 'A to see the visitor gone from B');
    expect((await reach()).text).toBe('The customer is offline: this reply will be emailed to jo@example.com.');
    expect((await api(`/api/tickets/${ticket.id}/reply`, { method: 'POST', body: JSON.stringify({ text: 'Your account is unlocked.' }) })).status).toBe(201);
    const mail = await sink.waitFor(() => sink.to('jo@example.com')[0], 'the email');

    // Jo answers by email (Apple Mail style), through A's SMTP receiver.
    await nodemailer.createTransport({ host: '127.0.0.1', port: smtpA, secure: false, ignoreTLS: true }).sendMail({
      from: 'jo@example.com',
      to: mail.parsed.replyTo!.value[0]!.address!,
      subject: `Re: ${mail.parsed.subject}`,
      inReplyTo: mail.messageId,
      text: 'It works, thank you!\n\nSent from my iPhone\n\n> On 24 Nov 2026, at 17:01, Tidyflow Support <support@tidyflow.test> wrote:\n> \n> Your account is unlocked.\n',
    });

    // The link, opened against B, shows the agent's reply and Jo's answer, without the quote.
    const page = await (await fetch(b!.url + new URL(linkAfter(mail.text, 'Continue in chat')).pathname)).text();
    const token = /setItem\('answerdesk:'\+k\+':token',"([^"]+)"\)/.exec(page)![1]!;
    const again = new WidgetClient(b!.url, ORIGIN);
    again.token = token;
    await again.session();
    await again.connect();
    expect(again.conversationId).toBe(conversationId);
    await again.waitForMessage((m) => m.author === 'agent' && m.content.type === 'text' && m.content.text === 'Your account is unlocked.');
    const answer = await again.waitForMessage((m) => m.author === 'customer' && m.content.type === 'text' && m.content.text.startsWith('It works'), 15_000);
    expect(answer.content).toEqual({ type: 'text', text: 'It works, thank you!' });
    again.close();
    expect(sink.to('jo@example.com')).toHaveLength(1);
  });
});
