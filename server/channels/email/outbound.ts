import type { Logger } from 'pino';
import type { Transporter } from 'nodemailer';
import type { EmailConfig } from '../../config';
import type { ChannelOutbound, MessageDraft } from '../../conversations';
import { type ChatMessage, visibleToCustomer } from '../../domain/transcript';
import { DeliveryError } from '../../outbox/delivery-error';
import type { Deliverer } from '../../outbox/worker';
import type { Conversation, OutboxItem, Store } from '../../store/types';
import { renderEmail } from './render';
import type { EmailTokens, LinkAction } from './tokens';

/** Messages before the new ones, shown for context. */
const CONTEXT_MESSAGES = 4;
/** Permanent SMTP answers (5xx) other than these mean retrying cannot help. */
const TRANSIENT_5XX = new Set([552]);

export interface EmailOutboundDeps {
  config: EmailConfig;
  store: Store;
  log: Logger;
  transport: Transporter;
  tokens: EmailTokens;
  /** Absolute URL of a signed link (PUBLIC_URL + /email/l/<token>). */
  linkUrl(token: string): string;
}

/** What goes out by email: agents' and the bot's words, never customer echoes, notes or system lines. */
// The CSAT question stays on the CES landing page's side of things: email asks CES only.
const sendable = (m: Pick<ChatMessage, 'author' | 'content'>) =>
  m.author !== 'customer' && m.author !== 'system' && visibleToCustomer(m) && m.content.type !== 'email_request' && m.content.type !== 'event';

/**
 * Stored messages → email, through the outbox:
 * - email conversations: everything the bot and agents say;
 * - widget conversations: agent replies (and the CES question after a resolve) that the service
 *   marked as following a customer who left the widget (`emailFollowUp`).
 * Replies written within the batching window go out as one email: the first due row sends
 * everything new since the conversation's emailed mark, later rows find their message covered.
 * Each email has a stable Message-ID (the reply token + the last seq it carries), so a resend
 * after a crash between the relay's "250 OK" and the bookkeeping is the same message to mail clients.
 */
export class EmailOutbound implements ChannelOutbound, Deliverer {
  constructor(private readonly deps: EmailOutboundDeps) {}

  carries(conversation: Conversation, draft: MessageDraft): boolean {
    if (!sendable(draft)) return false;
    return conversation.channel === 'email' || draft.emailFollowUp === true;
  }

  delayMs(conversation: Conversation, draft: MessageDraft): number {
    // The bot answers an email at once; people's replies wait for the window, to go out together.
    return conversation.channel === 'email' && draft.author === 'bot' && !draft.emailFollowUp ? 0 : this.deps.config.batchMs;
  }

  async deliver(item: OutboxItem): Promise<void> {
    const { store, log } = this.deps;
    // Refusals (rate limit, size) are not answered by email: an answer to a flood is how mail loops start.
    if (item.payload.type !== 'message' || !item.messageId || !item.conversationId) return;
    const conversation = await store.conversations.get(item.conversationId);
    const message = await store.conversations.message(item.messageId);
    if (!conversation || !message) throw new DeliveryError('message or conversation no longer stored', false);
    const thread = await store.email.thread(conversation.id);
    if (message.seq <= thread.emailedSeq) return; // sent with an earlier one of the batch
    const later = await store.conversations.listMessages(conversation.id, message.seq - 1, 200);
    const batch = later.filter((m) => sendable(m) && (conversation.channel === 'email' || m.author === 'agent' || m.content.type === 'ces'));
    const upTo = later.at(-1)?.seq ?? message.seq;
    if (batch.length === 0) return void (await store.email.advance(conversation.id, thread.emailedSeq, upTo));

    // A visitor who came back to the widget meanwhile reads it there.
    if (conversation.channel === 'web' && (await store.email.presence.online(conversation.customerId))) {
      log.debug({ conversationId: conversation.id }, 'customer is back in the widget: no email');
      await store.email.advance(conversation.id, thread.emailedSeq, upTo);
      return;
    }
    const to = await this.recipient(conversation);
    if (!to) {
      log.info({ conversationId: conversation.id }, 'no email address for this customer: nothing sent');
      await store.email.advance(conversation.id, thread.emailedSeq, upTo);
      return;
    }

    const replyToken = this.deps.tokens.replyToken(conversation.id);
    const messageId = `<${replyToken}.${batch.at(-1)!.seq}@${this.deps.config.replyDomain}>`;
    const earlier = await store.conversations.listMessages(conversation.id, Math.max(0, message.seq - 1 - CONTEXT_MESSAGES * 5), CONTEXT_MESSAGES * 5);
    // Context is what people wrote (the customer's words, agents' replies), not the bot's hand-over chatter.
    const context = earlier.filter((m) => m.seq < message.seq && m.content.type === 'text' && (m.author === 'customer' || m.author === 'agent')).slice(-CONTEXT_MESSAGES);
    const mails = await store.email.ofConversation(conversation.id);
    const references = mails.map((m) => `<${m.messageId}>`).slice(-20);
    const lastIncoming = [...mails].reverse().find((m) => m.direction === 'in');
    const subject = thread.subject || (await this.subject(conversation, mails));
    const rendered = renderEmail({
      team: teamName(this.deps.config.from),
      messages: batch,
      context,
      continueInChat: conversation.channel === 'web',
      link: (action: LinkAction) => this.deps.linkUrl(this.deps.tokens.link(conversation.id, action)),
    });
    try {
      await this.deps.transport.sendMail({
        from: this.deps.config.from,
        to,
        replyTo: `reply+${replyToken}@${this.deps.config.replyDomain}`,
        subject,
        text: rendered.text,
        html: rendered.html,
        messageId,
        ...(lastIncoming || references.length ? { inReplyTo: lastIncoming ? `<${lastIncoming.messageId}>` : references.at(-1)! } : {}),
        ...(references.length ? { references } : {}),
        headers: {
          // RFC 3834: bot answers are automatic, so well-behaved auto-responders do not answer them.
          ...(batch.every((m) => m.author === 'bot') ? { 'Auto-Submitted': 'auto-replied' } : {}),
          'X-Answerdesk-Conversation': conversation.id,
        },
      });
    } catch (err) {
      throw smtpFailure(err);
    }
    await store.email.record({
      messageId: messageId.slice(1, -1),
      direction: 'out',
      conversationId: conversation.id,
      chatMessageId: batch.at(-1)!.id,
      from: this.deps.config.address,
      to: [to],
      subject,
      text: rendered.text,
      html: null,
      attachments: [],
      size: rendered.text.length + rendered.html.length,
      via: 'sent',
      outcome: 'sent',
    });
    await store.email.advance(conversation.id, thread.emailedSeq, upTo, { ref: messageId, subject });
    await store.events.log({ type: 'email_sent', conversationId: conversation.id, channel: conversation.channel, data: { to, messageId, messages: batch.length } });
  }

  private async recipient(conversation: Conversation): Promise<string | undefined> {
    const customer = await this.deps.store.customers.get(conversation.customerId);
    if (conversation.channel === 'email') return customer?.externalId ?? customer?.email ?? undefined;
    return conversation.email ?? customer?.email ?? undefined;
  }

  private async subject(conversation: Conversation, mails: { direction: string; subject: string }[]): Promise<string> {
    const first = mails.find((m) => m.direction === 'in' && m.subject);
    if (first) return /^re:/i.test(first.subject) ? first.subject : `Re: ${first.subject}`;
    const ticket = await this.deps.store.tickets.byConversation(conversation.id);
    return `${ticket?.subject ? `Re: ${ticket.subject}` : 'Your conversation'} — ${teamName(this.deps.config.from)}`.slice(0, 200);
  }
}

/** "Tidyflow Support" from `"Tidyflow Support" <support@example.com>`. */
export function teamName(from: string): string {
  const m = /^\s*"?([^"<]+?)"?\s*</.exec(from);
  return m?.[1]?.trim() || 'Support';
}

/** An SMTP failure as the outbox needs it: 4xx and network trouble are retried; most 5xx are final. */
function smtpFailure(err: unknown): DeliveryError {
  const e = err as { responseCode?: number; response?: string; code?: string; message?: string };
  if (typeof e?.responseCode === 'number') {
    const reason = `SMTP ${e.responseCode} ${String(e.response ?? '').slice(0, 200)}`;
    return new DeliveryError(reason, e.responseCode < 500 || TRANSIENT_5XX.has(e.responseCode), undefined, { cause: err });
  }
  return new DeliveryError(e?.code ?? e?.message ?? 'SMTP failed', true, undefined, { cause: err });
}
