import nodemailer from 'nodemailer';
import type { ChatMessage } from '../../server/domain/transcript';
import { startTestServer, type TestServer } from '../support/server';
import { TEST_DATABASE_URL } from '../support/stores';
import type { SmtpSink } from './smtp-sink';

export const SUPPORT = 'support@tidyflow.test';
export const REPLY_DOMAIN = 'reply.tidyflow.test';

export async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

/** A server with email on: the sink as relay, the SMTP receiver on a free port. */
export function emailServer(sink: SmtpSink, backend: 'sqlite' | 'postgres', env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer(
    {
      SMTP_URL: sink.url,
      EMAIL_FROM: `"Tidyflow Support" <${SUPPORT}>`,
      EMAIL_REPLY_DOMAIN: REPLY_DOMAIN,
      INBOUND_SMTP_PORT: '0',
      INBOUND_SMTP_HOST: '127.0.0.1',
      EMAIL_BATCH_SECONDS: '0.5',
      PUBLIC_URL: 'http://127.0.0.1:9',
      OUTBOX_POLL_MS: '100',
      ...(backend === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL } : {}),
      ...env,
    },
    backend === 'postgres' ? { pgSchema: 'fresh' } : {},
  );
}

/** A real SMTP client (nodemailer) sending to answerdesk's receiver. */
export function mailer(server: TestServer) {
  return nodemailer.createTransport({ host: '127.0.0.1', port: server.desk.email!.smtpPort!, secure: false, ignoreTLS: true });
}

export async function messagesOf(server: TestServer, conversationId: string): Promise<ChatMessage[]> {
  return server.desk.store.conversations.listMessages(conversationId);
}

export async function ticketOf(server: TestServer, conversationId: string): Promise<{ id: string; status: string; channel: string } | undefined> {
  const t = await server.desk.store.tickets.byConversation(conversationId);
  return t && { id: t.id, status: t.status, channel: t.channel };
}

/** Links in an email's text part, by their label. */
export function linkAfter(text: string, label: string): string {
  const m = new RegExp(`${label}[^:\\n]*: (\\S+)`).exec(text);
  if (!m) throw new Error(`no "${label}" link in:\n${text}`);
  return m[1]!;
}
