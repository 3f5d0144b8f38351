import type { Config } from '../config';
import type { RealtimeBus } from '../realtime/bus';
import type { BotAttempt, Conversation, EventRow, Store, Ticket } from '../store/types';
import { availability } from './availability';
import { presentTicket } from '../api/present';
import type { TranscriptWriter } from './writer';

const SUBJECT_MAX = 120;
/** The subject of a ticket opened before the customer typed anything (the header's button). */
export const NO_QUESTION_SUBJECT = 'Conversation with the bot';

/** A ticket subject from what the customer typed: one line, bounded. */
export const subjectOf = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, SUBJECT_MAX);

export interface EscalationDeps {
  store: Store;
  writer: TranscriptWriter;
  bus: RealtimeBus;
  config: Config;
}

/** What the bot tried before a person took over, from the conversation's events. */
function attemptsOf(events: EventRow[]): BotAttempt[] {
  return events
    .filter((e) => e.type.startsWith('bot_') || e.type === 'escalation_offered')
    .map((e) => ({
      at: e.createdAt,
      action: e.type.replace(/^bot_/, ''),
      ...(typeof e.data.text === 'string' ? { customerText: e.data.text } : {}),
      refs: [...(e.data.ref ? [`${(e.data.ref as { id: string }).id}`] : []), ...((e.data.refs as { id: string }[] | undefined) ?? []).map((r) => r.id)],
      ...(typeof e.data.confidence === 'number' ? { confidence: e.data.confidence } : {}),
    }));
}

/** Hand the conversation to people: a ticket with the transcript and what the bot tried. */
/** `language`: the customer's language when the bot could not serve it, kept as a `lang:xx` tag. */
export async function escalate(deps: EscalationDeps, conversation: Conversation, reason: string, language?: string): Promise<Ticket> {
  const { store, config, bus, writer } = deps;
  const existing = await store.tickets.byConversation(conversation.id);
  if (existing && existing.status !== 'resolved') return existing;
  const messages = await store.conversations.listMessages(conversation.id);
  const firstText = messages.find((m) => m.author === 'customer' && m.content.type === 'text');
  const subject = firstText && firstText.content.type === 'text' ? firstText.content.text : NO_QUESTION_SUBJECT;
  const ticket = existing
    ? await store.tickets.update(existing.id, { status: 'open', assigneeId: null, resolvedAt: null })
    : await store.tickets.create({
        conversationId: conversation.id,
        customerId: conversation.customerId,
        channel: conversation.channel,
        priority: 'normal',
        subject: subjectOf(subject),
        reason,
        tags: language ? [`lang:${language.slice(0, 16)}`] : [],
        attempts: attemptsOf(await store.events.ofConversation(conversation.id)),
        firstResponseDueAt: new Date(Date.now() + config.slaFirstResponseMinutes * 60_000).toISOString(),
      });
  const queued = await store.conversations.update(conversation.id, { state: 'queued', assigneeId: null });
  await store.events.log({ type: 'escalated', conversationId: conversation.id, ticketId: ticket.id, channel: conversation.channel, data: { reason } });
  await writer.append(queued, { author: 'system', content: { type: 'event', event: 'escalated' } }, existing ? [] : [{ type: 'ticket.created', data: { ticket: presentTicket(ticket) } }]);
  const now = await availability(store, config);
  if (!now.agentsOnline || !now.withinBusinessHours) {
    const customer = await store.customers.get(conversation.customerId);
    // Only the widget can take an email for later; elsewhere the customer is already reachable.
    const askEmail = now.emailReplies && conversation.channel === 'web' && !queued.email && !customer?.email;
    // Outside the widget the customer is already where the reply will come: no email to ask for.
    const told =
      conversation.channel === 'web'
        ? now.expectedReply
        : now.withinBusinessHours
          ? `Thanks — a person from our team will reply here within ${config.slaFirstResponseMinutes} minutes.`
          : "Thanks — we're offline right now; a person from our team will reply here when we're back.";
    await writer.append(queued, { author: 'bot', content: askEmail ? { type: 'email_request', text: told } : { type: 'text', text: told } });
  }
  bus.publish({ type: 'conversation', conversationId: conversation.id });
  bus.publish({ type: 'ticket', ticketId: ticket.id, conversationId: conversation.id });
  return ticket;
}
