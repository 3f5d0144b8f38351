import { createHash } from 'node:crypto';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import type { Logger } from 'pino';
import sanitizeHtml from 'sanitize-html';
import type { EmailConfig } from '../../config';
import type { ConversationService } from '../../conversations';
import type { Inbound } from '../../domain/inbound';
import type { AttachmentNote } from '../../store/email';
import type { Store } from '../../store/types';
import { stripReply } from './strip';
import type { EmailTokens } from './tokens';

/** What happened to one incoming mail: each case is a defined outcome (tests name them). */
export type MailOutcome =
  | { kind: 'stored'; conversationId: string; messageId: string; opened: boolean }
  | { kind: 'duplicate'; messageId: string }
  | { kind: 'ignored'; reason: 'malformed' | 'no_sender' | 'own_message' | 'auto_reply' | 'bulk' | 'bounce' | 'empty' | 'refused' | 'too_large'; messageId: string };

export interface Envelope {
  /** SMTP MAIL FROM ('' for a bounce's null sender). */
  mailFrom?: string;
  rcptTo: string[];
}

const BOUNCE_SENDER = /^(mailer-daemon|postmaster|mail-daemon|bounces?|no-?reply)([+-].*)?@/i;

const addresses = (a: AddressObject | AddressObject[] | undefined): { address: string; name: string }[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value).flatMap((v) => (v.address ? [{ address: v.address.toLowerCase(), name: v.name }] : []));

const header = (mail: ParsedMail, name: string): string => {
  const v = mail.headers.get(name);
  return typeof v === 'string' ? v : v === undefined ? '' : typeof v === 'object' && v !== null && 'value' in v ? String((v as { value: unknown }).value) : String(v);
};

/** Message-IDs are compared without their angle brackets. */
export const bareId = (id: string) => id.trim().replace(/^<|>$/g, '').slice(0, 250);

/**
 * One incoming mail → the service's Inbound, whichever way it came (SMTP receiver or IMAP).
 * The adapter translates and filters what must never reach a conversation (auto-replies,
 * bounces, our own mail: no loop can form); the service decides the rest. Every mail is
 * recorded once by Message-ID first, so a redelivery or the same mail by the other path is
 * a duplicate, and the original stays viewable in the console.
 */
export class EmailInbound {
  constructor(
    private readonly deps: {
      config: EmailConfig;
      store: Store;
      service: ConversationService;
      tokens: EmailTokens;
      log: Logger;
      messageMaxBytes: number;
    },
  ) {}

  async accept(raw: Buffer, via: 'smtp' | 'imap', envelope: Envelope = { rcptTo: [] }): Promise<MailOutcome> {
    const { store, config } = this.deps;
    let mail: ParsedMail;
    try {
      mail = await simpleParser(raw, { skipImageLinks: true, maxHtmlLengthToParse: 2_000_000 });
    } catch (err) {
      const messageId = `${createHash('sha256').update(raw).digest('hex')}@malformed.invalid`;
      this.deps.log.warn({ err, via }, 'unparseable email ignored');
      await store.email.record({ messageId, direction: 'in', conversationId: null, chatMessageId: null, from: envelope.mailFrom ?? '', to: envelope.rcptTo, subject: '', text: raw.subarray(0, 20_000).toString('latin1'), html: null, attachments: [], size: raw.length, via, outcome: 'ignored:malformed' });
      return { kind: 'ignored', reason: 'malformed', messageId };
    }
    const messageId = mail.messageId ? bareId(mail.messageId) : `${createHash('sha256').update(raw).digest('hex')}@no-message-id.invalid`;
    const from = addresses(mail.from)[0];
    const to = [...addresses(mail.to), ...addresses(mail.cc)].map((a) => a.address);
    const attachments: AttachmentNote[] = mail.attachments.map((a) => ({
      filename: (a.filename ?? 'attachment').slice(0, 200),
      contentType: a.contentType.slice(0, 100),
      size: a.size,
      note: a.size > config.attachmentMaxBytes ? `over the ${config.attachmentMaxBytes}-byte limit: not stored` : 'not stored (attachments are noted only)',
    }));
    const text = (mail.text ?? (mail.html ? sanitizeHtml(mail.html, { allowedTags: [], allowedAttributes: {} }) : '')).replace(/\r\n?/g, '\n');
    const { created, email } = await store.email.record({
      messageId,
      direction: 'in',
      conversationId: null,
      chatMessageId: null,
      from: from?.address ?? envelope.mailFrom ?? '',
      // Thousands of recipients: the first hundred are kept for the record, the rest dropped.
      to: to.slice(0, 100),
      subject: (mail.subject ?? '').slice(0, 500),
      text: text.slice(0, 200_000),
      html: mail.html ? safeHtml(mail.html) : null,
      attachments,
      size: raw.length,
      via,
      outcome: 'received',
    });
    // Our own mail coming back (a forwarder, a mailing list): the row is the one we sent.
    if (!created && email.direction === 'out') return { kind: 'ignored', reason: 'own_message', messageId };
    if (!created && email.outcome !== 'received') return { kind: 'duplicate', messageId };

    const ignore = async (reason: Extract<MailOutcome, { kind: 'ignored' }>['reason']): Promise<MailOutcome> => {
      await store.email.settle(messageId, `ignored:${reason}`);
      this.deps.log.info({ messageId, via, reason }, 'email ignored');
      return { kind: 'ignored', reason, messageId };
    };
    const loop = await this.loopReason(mail, messageId, envelope, from?.address);
    if (loop) return ignore(loop);
    if (!from) return ignore('no_sender');

    const refs = [mail.inReplyTo ?? '', ...(Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [])].filter(Boolean);
    const token = this.deps.tokens.findReply([...envelope.rcptTo, ...to, ...refs]);
    const conversation = token ? await store.conversations.get(token.conversationId) : undefined;
    const replying = !!conversation;
    let body = replying ? stripReply(text) : text.trim();
    if (!replying && mail.subject && !body.toLowerCase().startsWith(mail.subject.toLowerCase())) body = `${mail.subject.trim()}\n\n${body}`;
    if (attachments.length) body += `\n\n(${attachments.length === 1 ? 'An attachment' : `${attachments.length} attachments`}: ${attachments.map((a) => a.filename).join(', ')} — see the original email)`;
    body = fitBytes(body.trim(), this.deps.messageMaxBytes);
    if (!body) return ignore('empty');

    const inbound: Inbound = conversation
      ? { channel: conversation.channel, sender: { customerId: conversation.customerId }, threadKey: conversation.threadKey, mayStart: true, body: { type: 'text', text: body }, platformId: `email:${messageId}`.slice(0, 255), receivedAt: new Date() }
      : {
          channel: 'email',
          sender: { externalId: from.address, profile: async () => ({ email: from.address, ...(from.name ? { name: from.name.slice(0, 100) } : {}) }) },
          // A new mail is a thread of its own; its replies carry our token back to this conversation.
          threadKey: `mail:${messageId}`.slice(0, 255),
          mayStart: true,
          body: { type: 'text', text: body },
          platformId: `email:${messageId}`.slice(0, 255),
          receivedAt: new Date(),
        };
    const result = await this.deps.service.receive(inbound);
    if (result.kind !== 'stored') return ignore(result.kind === 'refused' ? 'refused' : 'empty');
    await store.email.settle(messageId, 'stored', { conversationId: result.conversationId, chatMessageId: result.message.id });
    return { kind: 'stored', conversationId: result.conversationId, messageId, opened: !replying };
  }

  /** Mail that must never open a ticket nor be answered: auto-replies, bounces, lists, our own. */
  private async loopReason(mail: ParsedMail, messageId: string, envelope: Envelope, from: string | undefined): Promise<'own_message' | 'auto_reply' | 'bulk' | 'bounce' | undefined> {
    const { store, config, tokens } = this.deps;
    if (messageId.endsWith(`@${config.replyDomain}`) && tokens.verifyReply(messageId.split('.')[0] ?? '')) return 'own_message';
    if (await store.email.isOurs(messageId)) return 'own_message';
    if (from && (from === config.address || (from.endsWith(`@${config.replyDomain}`) && from.startsWith('reply+')))) return 'own_message';
    const auto = header(mail, 'auto-submitted').toLowerCase();
    if (auto && auto !== 'no') return 'auto_reply';
    if (header(mail, 'x-autoreply') || header(mail, 'x-autorespond') || /^(all|oof|autoreply)/i.test(header(mail, 'x-auto-response-suppress'))) return 'auto_reply';
    if (/^(bulk|junk|list|auto_reply)$/i.test(header(mail, 'precedence').trim())) return 'bulk';
    if (header(mail, 'list-id') || header(mail, 'list-unsubscribe')) return 'bulk';
    if (envelope.mailFrom === '' || (from && BOUNCE_SENDER.test(from))) return 'bounce';
    const type = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
    if (type?.value === 'multipart/report') return 'bounce';
    return undefined;
  }
}

/** HTML kept for the console: no scripts, handlers, styles, frames or remote images — text and links only. */
export function safeHtml(html: string): string {
  return sanitizeHtml(html.slice(0, 1_000_000), {
    allowedTags: ['p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 'a', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'hr'],
    allowedAttributes: { a: ['href'] },
    allowedSchemes: ['http', 'https', 'mailto'],
  });
}

/** Cut to the message limit (UTF-8 bytes) on a character boundary, saying so. */
function fitBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  const note = '\n\n[…cut: the full email is in the console]';
  let cut = text.slice(0, max);
  while (Buffer.byteLength(cut) + Buffer.byteLength(note) > max) cut = cut.slice(0, Math.floor(cut.length * 0.9));
  return cut + note;
}
