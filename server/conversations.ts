import type { Logger } from 'pino';
import { type ConversationEngine, INITIAL_STATE } from '../bot/engine';
import type { Action, BotEvent, Channel, Reply } from '../bot/types';
import { describeBusinessHours, withinBusinessHours } from './business-hours';
import type { Config } from './config';
import { conflict, forbidden, NotFoundError } from './errors';
import type { RealtimeBus } from './realtime/bus';
import type { Availability, ChatMessage, ConversationView, MessageContent } from './realtime/protocol';
import type { Agent, BotAttempt, Conversation, Customer, Store, Ticket } from './store/types';

/** Channels other than the widget deliver outbound messages through their platform API. */
export interface OutboundChannel {
  deliver(conversation: Conversation, message: ChatMessage): Promise<void>;
}

export interface ConversationDeps {
  store: Store;
  engine: ConversationEngine;
  bus: RealtimeBus;
  config: Config;
  log: Logger;
}

/** Called once the customer's message is stored, before the bot works on it: the moment to ack. */
export type StoredCallback = (message: ChatMessage, duplicate: boolean) => void;

/** Agents seen within this window count as online (the console sends presence heartbeats). */
const PRESENCE_WINDOW_MS = 2 * 60_000;
const SUBJECT_MAX = 120;

/**
 * Everything that happens to a conversation, whatever the channel: customer input runs the
 * engine (while the bot owns the conversation), engine events become tickets, log rows and
 * surveys, and agents reply, note and resolve. Adapters call this; they never decide.
 */
export class ConversationService {
  private readonly outbound = new Map<Channel, OutboundChannel>();

  constructor(private readonly deps: ConversationDeps) {}

  registerChannel(channel: Channel, outbound: OutboundChannel): void {
    this.outbound.set(channel, outbound);
  }

  // --- reading --------------------------------------------------------------------------

  async view(conversation: Conversation): Promise<ConversationView> {
    const agent = conversation.assigneeId ? await this.deps.store.getAgent(conversation.assigneeId) : undefined;
    return {
      id: conversation.id,
      channel: conversation.channel,
      state: conversation.state,
      ...(agent ? { agentName: agent.name } : {}),
      ...(conversation.email ? { email: conversation.email } : {}),
    };
  }

  async availability(): Promise<Availability> {
    const agents = await this.deps.store.listAgents();
    const cutoff = Date.now() - PRESENCE_WINDOW_MS;
    const agentsOnline = agents.some((a) => a.presence === 'online' && a.lastSeenAt !== null && Date.parse(a.lastSeenAt) >= cutoff);
    const open = withinBusinessHours(this.deps.config.businessHours);
    const hours = describeBusinessHours(this.deps.config.businessHours);
    const expectedReply =
      agentsOnline && open
        ? 'We usually reply within a few minutes.'
        : open
          ? `Our team is busy right now. Leave your email and we'll reply within ${this.deps.config.slaFirstResponseMinutes} minutes.`
          : `We're offline right now (hours: ${hours}). Leave your email and we'll reply when we're back.`;
    return { agentsOnline, withinBusinessHours: open, expectedReply };
  }

  /** Surveys and contact details answer a conversation whatever its state, even once resolved. */
  static acceptedInAnyState(action: Action): boolean {
    return action.kind === 'ces' || action.kind === 'csat' || action.kind === 'email';
  }

  /** Messages a customer may see (internal notes are for agents only). */
  static visibleToCustomer(message: ChatMessage): boolean {
    return message.content.type !== 'note';
  }

  // --- customer side --------------------------------------------------------------------

  /** The conversation a customer's next message belongs to; a resolved one starts afresh. */
  async conversationFor(customer: Customer, channel: Channel, options: { channelRef?: unknown; startNew?: boolean } = {}): Promise<Conversation> {
    const latest = await this.deps.store.latestConversation(customer.id);
    if (latest && latest.state !== 'resolved' && !options.startNew) return latest;
    const created = await this.deps.store.createConversation({
      customerId: customer.id,
      channel,
      ...(options.channelRef !== undefined ? { channelRef: options.channelRef } : {}),
    });
    await this.deps.store.logEvent({ type: 'conversation_started', conversationId: created.id, channel });
    this.deps.bus.publish({ type: 'conversation', conversationId: created.id });
    return created;
  }

  /**
   * A customer typed something. Stored (and acknowledged) first; then the bot answers if it
   * still owns the conversation. A retried send with the same clientId is stored once and
   * never answered twice.
   */
  async customerText(conversation: Conversation, text: string, clientId?: string, onStored?: StoredCallback): Promise<ChatMessage> {
    const { message, duplicate } = await this.append(conversation, { author: 'customer', content: { type: 'text', text }, clientId });
    onStored?.(message, duplicate);
    if (duplicate) return message;
    const current = (await this.deps.store.getConversation(conversation.id)) ?? conversation;
    if (current.state === 'bot') {
      await this.runEngine(current, { text });
    } else {
      await this.deps.store.logEvent({ type: 'customer_message', conversationId: current.id, channel: current.channel });
      const ticket = await this.deps.store.getTicketByConversation(current.id);
      if (ticket) this.deps.bus.publish({ type: 'ticket', ticketId: ticket.id, conversationId: current.id });
    }
    return message;
  }

  /** A customer pressed a button (feedback, choice, person, CES, CSAT, email). */
  async customerAction(conversation: Conversation, action: Action, label: string, clientId?: string, onStored?: StoredCallback): Promise<ChatMessage> {
    const { message, duplicate } = await this.append(conversation, { author: 'customer', content: { type: 'action', action, label }, clientId });
    onStored?.(message, duplicate);
    if (duplicate) return message;
    const current = (await this.deps.store.getConversation(conversation.id)) ?? conversation;
    // Surveys and contact details are accepted in any state; the rest only while the bot leads.
    if (current.state === 'bot' || ConversationService.acceptedInAnyState(action)) await this.runEngine(current, { action });
    return message;
  }

  /**
   * Crash recovery. An instance that dies between storing (and acknowledging) a customer
   * message and storing the bot's answer leaves the conversation waiting on the bot. When
   * the visitor reconnects (to any instance) this answers that message — once, whichever
   * instance gets there first. A message younger than `graceMs` may still be in the hands
   * of a live instance: the result is then how long to wait before asking again.
   */
  async answerPending(conversationId: string, graceMs: number): Promise<{ retryInMs: number } | { answered: boolean }> {
    const { store, log } = this.deps;
    const conversation = await store.getConversation(conversationId);
    if (!conversation || conversation.lastSeq === 0) return { answered: false };
    const [last] = await store.listMessages(conversationId, conversation.lastSeq - 1, 1);
    if (!last || last.author !== 'customer') return { answered: false };
    const input = last.content.type === 'text' ? { text: last.content.text } : last.content.type === 'action' ? { action: last.content.action } : undefined;
    if (!input) return { answered: false };
    const anyState = input.action !== undefined && ConversationService.acceptedInAnyState(input.action);
    if (conversation.state !== 'bot' && !anyState) return { answered: false };
    const age = Date.now() - Date.parse(last.createdAt);
    if (age < graceMs) return { retryInMs: graceMs - Math.max(0, age) };
    if (!(await store.markProcessed(`answer:${last.id}`))) return { answered: false };
    log.warn({ conversationId, seq: last.seq }, 'answering a customer message left unanswered by a stopped instance');
    await this.runEngine(conversation, input);
    return { answered: true };
  }

  private async runEngine(conversation: Conversation, input: { text?: string; action?: Action }): Promise<void> {
    this.deps.bus.publish({ type: 'typing', conversationId: conversation.id, author: 'bot' });
    const turn = this.deps.engine.handle({ channel: conversation.channel, conversationId: conversation.id, ...input }, conversation.botState ?? INITIAL_STATE);
    await this.deps.store.updateConversation(conversation.id, { botState: turn.state });
    for (const reply of turn.replies) await this.botSays(conversation, reply);
    for (const event of turn.events) await this.onBotEvent(conversation, event, input.text);
  }

  private async botSays(conversation: Conversation, reply: Reply): Promise<void> {
    await this.append(conversation, { author: 'bot', content: reply });
  }

  private async onBotEvent(conversation: Conversation, event: BotEvent, text: string | undefined): Promise<void> {
    const { store } = this.deps;
    const base = { conversationId: conversation.id, channel: conversation.channel };
    switch (event.type) {
      case 'answered':
        return store.logEvent({ ...base, type: 'bot_answered', data: { ref: event.ref, confidence: event.confidence, text } });
      case 'clarified':
        return store.logEvent({ ...base, type: 'bot_clarified', data: { refs: event.refs, text } });
      case 'fallback':
        // The raw question is what "top unanswered questions" is made of.
        return store.logEvent({ ...base, type: 'bot_fallback', data: { text: event.text.slice(0, 500), confidence: event.confidence } });
      case 'feedback':
        if (event.ref?.kind === 'article') {
          await store.recordArticleFeedback({ articleId: event.ref.id, helpful: event.helpful, source: conversation.channel, conversationId: conversation.id });
        }
        return store.logEvent({ ...base, type: 'bot_feedback', data: { helpful: event.helpful, ref: event.ref } });
      case 'resolved_by_bot': {
        await store.logEvent({ ...base, type: 'resolved', data: { by: 'bot', ref: event.ref } });
        const updated = await store.updateConversation(conversation.id, { state: 'resolved', resolvedAt: new Date().toISOString() });
        this.deps.bus.publish({ type: 'conversation', conversationId: updated.id });
        return;
      }
      case 'escalation_offered':
        return store.logEvent({ ...base, type: 'escalation_offered', data: { reason: event.reason } });
      case 'escalate':
        await this.escalate(conversation, event.reason);
        return;
      case 'ces':
        return this.recordCes(conversation, event.score, event.comment);
      case 'csat':
        return this.recordCsat(conversation, event.score);
      case 'email_captured': {
        await store.updateConversation(conversation.id, { email: event.email });
        await store.upsertCustomer({ id: conversation.customerId, channel: conversation.channel, email: event.email });
        this.deps.bus.publish({ type: 'conversation', conversationId: conversation.id });
        return;
      }
    }
  }

  /** Hand the conversation to people: a ticket with the transcript and what the bot tried. */
  async escalate(conversation: Conversation, reason: string): Promise<Ticket> {
    const { store, config, bus } = this.deps;
    const existing = await store.getTicketByConversation(conversation.id);
    if (existing && existing.status !== 'resolved') return existing;
    const events = await store.listConversationEvents(conversation.id);
    const attempts: BotAttempt[] = events
      .filter((e) => e.type.startsWith('bot_') || e.type === 'escalation_offered')
      .map((e) => ({
        at: e.createdAt,
        action: e.type.replace(/^bot_/, ''),
        ...(typeof e.data.text === 'string' ? { customerText: e.data.text } : {}),
        refs: [
          ...(e.data.ref ? [`${(e.data.ref as { id: string }).id}`] : []),
          ...((e.data.refs as { id: string }[] | undefined) ?? []).map((r) => r.id),
        ],
        ...(typeof e.data.confidence === 'number' ? { confidence: e.data.confidence } : {}),
      }));
    const messages = await store.listMessages(conversation.id);
    const firstText = messages.find((m) => m.author === 'customer' && m.content.type === 'text');
    const subject = firstText && firstText.content.type === 'text' ? firstText.content.text : 'Conversation with the bot';
    const ticket = existing
      ? await store.updateTicket(existing.id, { status: 'open', assigneeId: null, resolvedAt: null })
      : await store.createTicket({
          conversationId: conversation.id,
          customerId: conversation.customerId,
          channel: conversation.channel,
          priority: 'normal',
          subject: subject.replace(/\s+/g, ' ').slice(0, SUBJECT_MAX),
          reason,
          tags: [],
          attempts,
          firstResponseDueAt: new Date(Date.now() + config.slaFirstResponseMinutes * 60_000).toISOString(),
        });
    await store.updateConversation(conversation.id, { state: 'queued', assigneeId: null });
    await store.logEvent({ type: 'escalated', conversationId: conversation.id, ticketId: ticket.id, channel: conversation.channel, data: { reason } });
    await this.append(conversation, { author: 'system', content: { type: 'event', event: 'escalated' } });
    const availability = await this.availability();
    const fresh = await store.getConversation(conversation.id);
    const customer = await store.getCustomer(conversation.customerId);
    if ((!availability.agentsOnline || !availability.withinBusinessHours) && !fresh?.email && !customer?.email && conversation.channel === 'web') {
      await this.botSays(conversation, { type: 'email_request', text: availability.expectedReply });
    } else if (!availability.agentsOnline || !availability.withinBusinessHours) {
      await this.botSays(conversation, { type: 'text', text: availability.expectedReply });
    }
    bus.publish({ type: 'conversation', conversationId: conversation.id });
    bus.publish({ type: 'ticket', ticketId: ticket.id, conversationId: conversation.id });
    return ticket;
  }

  private async recordCes(conversation: Conversation, score: number, comment: string | undefined): Promise<void> {
    const { store } = this.deps;
    const bounded = Math.max(1, Math.min(7, Math.round(score)));
    const ticket = await store.getTicketByConversation(conversation.id);
    const events = await store.listConversationEvents(conversation.id);
    const lastAnswer = [...events].reverse().find((e) => e.type === 'bot_answered');
    const ref = lastAnswer?.data.ref as { kind: string; id: string } | undefined;
    const stored = await store.recordSurvey({
      conversationId: conversation.id,
      channel: conversation.channel,
      kind: 'ces',
      score: bounded,
      comment: comment?.slice(0, 1000) ?? null,
      articleId: ref?.kind === 'article' ? ref.id : null,
      intent: ref?.kind === 'intent' ? ref.id : null,
      agentId: ticket?.assigneeId ?? null,
      humanInvolved: ticket !== undefined,
    });
    if (stored) await store.logEvent({ type: 'ces_answered', conversationId: conversation.id, channel: conversation.channel, data: { score: bounded, humanInvolved: ticket !== undefined } });
    // The bot state was saved from this turn already (awaitingCes cleared, maybe awaitingCsat
    // set); writing `conversation.botState` here would put the pre-turn state back.
  }

  /** CSAT rides on the CES survey row: the first answer counts, later ones change nothing. */
  private async recordCsat(conversation: Conversation, score: number): Promise<void> {
    const { store } = this.deps;
    if (!(await store.recordCsat(conversation.id, score))) return;
    const ticket = await store.getTicketByConversation(conversation.id);
    await store.logEvent({ type: 'csat_answered', conversationId: conversation.id, channel: conversation.channel, data: { score, humanInvolved: ticket !== undefined } });
  }

  // --- agent side -----------------------------------------------------------------------

  async claim(ticketId: string, agent: Agent, options: { force?: boolean; assignTo?: Agent } = {}): Promise<Ticket> {
    const { store, bus } = this.deps;
    const assignee = options.assignTo ?? agent;
    const result = await store.claimTicket(ticketId, assignee.id, { force: options.force ?? false });
    if (!result) throw new NotFoundError('ticket', ticketId);
    if (!result.ok) {
      const holder = result.ticket.assigneeId ? await store.getAgent(result.ticket.assigneeId) : undefined;
      throw conflict(
        'already_claimed',
        result.ticket.status === 'resolved' ? 'this ticket is already resolved' : `already claimed by ${holder?.name ?? 'another agent'}`,
      );
    }
    const conversation = await store.updateConversation(result.ticket.conversationId, { state: 'assigned', assigneeId: assignee.id });
    await store.logEvent({ type: 'assigned', conversationId: conversation.id, ticketId, channel: conversation.channel, agentId: assignee.id, data: { by: agent.id } });
    await this.append(conversation, { author: 'system', content: { type: 'event', event: 'assigned', agentName: assignee.name } });
    bus.publish({ type: 'conversation', conversationId: conversation.id });
    bus.publish({ type: 'ticket', ticketId, conversationId: conversation.id });
    return result.ticket;
  }

  private async ticketAndConversation(ticketId: string): Promise<{ ticket: Ticket; conversation: Conversation }> {
    const ticket = await this.deps.store.getTicket(ticketId);
    if (!ticket) throw new NotFoundError('ticket', ticketId);
    const conversation = await this.deps.store.getConversation(ticket.conversationId);
    if (!conversation) throw new NotFoundError('conversation', ticket.conversationId);
    return { ticket, conversation };
  }

  async agentReply(ticketId: string, agent: Agent, text: string, clientId?: string): Promise<ChatMessage> {
    const { store, bus } = this.deps;
    let { ticket, conversation } = await this.ticketAndConversation(ticketId);
    if (ticket.status === 'resolved') throw conflict('ticket_resolved', 'this ticket is resolved; reopen it to reply');
    if (ticket.assigneeId && ticket.assigneeId !== agent.id && agent.role !== 'admin') {
      throw forbidden('this ticket is assigned to another agent; ask them or an admin to transfer it');
    }
    // Replying to an unclaimed ticket claims it: the customer now talks to this agent.
    if (!ticket.assigneeId) ticket = await this.claim(ticketId, agent);
    const { message, duplicate } = await this.append(conversation, {
      author: 'agent',
      authorId: agent.id,
      authorName: agent.name,
      content: { type: 'text', text },
      clientId,
    });
    if (duplicate) return message;
    if (!ticket.firstResponseAt) {
      await store.updateTicket(ticket.id, { firstResponseAt: message.createdAt });
      await store.logEvent({ type: 'first_response', conversationId: conversation.id, ticketId, channel: conversation.channel, agentId: agent.id });
    }
    await store.logEvent({ type: 'agent_reply', conversationId: conversation.id, ticketId, channel: conversation.channel, agentId: agent.id });
    conversation = (await store.getConversation(conversation.id)) ?? conversation;
    bus.publish({ type: 'ticket', ticketId, conversationId: conversation.id });
    return message;
  }

  async addNote(ticketId: string, agent: Agent, text: string): Promise<ChatMessage> {
    const { conversation } = await this.ticketAndConversation(ticketId);
    const { message } = await this.append(conversation, { author: 'agent', authorId: agent.id, authorName: agent.name, content: { type: 'note', text } });
    this.deps.bus.publish({ type: 'ticket', ticketId, conversationId: conversation.id });
    return message;
  }

  async resolve(ticketId: string, agent: Agent): Promise<Ticket> {
    const { store, bus, engine } = this.deps;
    const { ticket, conversation } = await this.ticketAndConversation(ticketId);
    if (ticket.status === 'resolved') return ticket;
    const t = new Date().toISOString();
    const updated = await store.updateTicket(ticketId, { status: 'resolved', resolvedAt: t, ...(ticket.assigneeId ? {} : { assigneeId: agent.id }) });
    await store.updateConversation(conversation.id, { state: 'resolved', resolvedAt: t, botState: { ...conversation.botState, awaitingCes: true } });
    await store.logEvent({ type: 'resolved', conversationId: conversation.id, ticketId, channel: conversation.channel, agentId: agent.id, data: { by: 'agent' } });
    await this.append(conversation, { author: 'system', content: { type: 'event', event: 'resolved', agentName: agent.name } });
    await this.botSays(conversation, engine.cesPrompt());
    bus.publish({ type: 'conversation', conversationId: conversation.id });
    bus.publish({ type: 'ticket', ticketId, conversationId: conversation.id });
    return updated;
  }

  async reopen(ticketId: string, agent: Agent): Promise<Ticket> {
    const { store, bus } = this.deps;
    const { ticket, conversation } = await this.ticketAndConversation(ticketId);
    if (ticket.status !== 'resolved') return ticket;
    const updated = await store.updateTicket(ticketId, { status: ticket.assigneeId ? 'assigned' : 'open', resolvedAt: null });
    await store.updateConversation(conversation.id, { state: ticket.assigneeId ? 'assigned' : 'queued', resolvedAt: null });
    await store.logEvent({ type: 'reopened', conversationId: conversation.id, ticketId, channel: conversation.channel, agentId: agent.id });
    await this.append(conversation, { author: 'system', content: { type: 'event', event: 'reopened', agentName: agent.name } });
    bus.publish({ type: 'conversation', conversationId: conversation.id });
    bus.publish({ type: 'ticket', ticketId, conversationId: conversation.id });
    return updated;
  }

  // --- plumbing -------------------------------------------------------------------------

  private async append(
    conversation: Conversation,
    input: { author: ChatMessage['author']; authorId?: string; authorName?: string; content: MessageContent; clientId?: string | undefined },
  ): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const result = await this.deps.store.appendMessage({
      conversationId: conversation.id,
      author: input.author,
      authorId: input.authorId ?? null,
      authorName: input.authorName ?? null,
      content: input.content,
      clientId: input.clientId ?? null,
    });
    if (!result.duplicate) {
      this.deps.bus.publish({ type: 'message', conversationId: conversation.id, seq: result.message.seq });
      const outbound = this.outbound.get(conversation.channel);
      if (outbound && input.author !== 'customer' && ConversationService.visibleToCustomer(result.message)) {
        // Platform delivery failures are logged, never allowed to lose the stored message.
        await outbound.deliver(conversation, result.message).catch((err: unknown) => {
          this.deps.log.error({ err, conversationId: conversation.id }, 'outbound delivery failed');
        });
      }
    }
    return result;
  }
}
