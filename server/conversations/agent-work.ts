import { linkedArticles } from '../kb/links';
import type { ConversationEngine } from '../../bot/engine';
import { conflict, forbidden, invalid, notFound, tooLarge } from '../domain/errors';
import { byteLength, cleanText } from '../domain/text';
import type { ChatMessage, MessageContent } from '../domain/transcript';
import type { RealtimeBus } from '../realtime/bus';
import type { Agent, Conversation, Store, Ticket } from '../store/types';
import { reachOf } from './reach';
import type { TranscriptWriter } from './writer';
import { presentTicket } from '../api/present';

const TRANSFER_ADMINS_ONLY = 'this ticket is assigned to another agent; ask them or an admin to transfer it';

/** Who may reply to, resolve or take a ticket: an admin, its assignee, anyone while it is unassigned. */
export function mayHandle(ticket: Ticket, agent: Agent): boolean {
  return agent.role === 'admin' || !ticket.assigneeId || ticket.assigneeId === agent.id;
}

export interface AgentWorkDeps {
  store: Store;
  writer: TranscriptWriter;
  bus: RealtimeBus;
  engine: ConversationEngine;
  /** The one message limit (UTF-8 bytes), the same for customers and agents in every channel. */
  messageMaxBytes: number;
  /** Email is set up: a reply to a widget visitor who left follows them by email. */
  emailEnabled: boolean;
}

/** The agents' side: claim, reply, note, resolve, reopen — the same from the console, the API and Slack. */
export class AgentWork {
  constructor(private readonly deps: AgentWorkDeps) {}

  private announce(conversationId: string, ticketId: string): void {
    this.deps.bus.publish({ type: 'conversation', conversationId });
    this.deps.bus.publish({ type: 'ticket', ticketId, conversationId });
  }

  private async ticketAndConversation(ticketId: string): Promise<{ ticket: Ticket; conversation: Conversation }> {
    const ticket = await this.deps.store.tickets.get(ticketId);
    if (!ticket) throw notFound('ticket', ticketId);
    const conversation = await this.deps.store.conversations.get(ticket.conversationId);
    if (!conversation) throw notFound('conversation', ticket.conversationId);
    return { ticket, conversation };
  }

  async claim(ticketId: string, agent: Agent, options: { force?: boolean; assignTo?: Agent } = {}): Promise<Ticket> {
    const { store, writer } = this.deps;
    const assignee = options.assignTo ?? agent;
    if (agent.role !== 'admin' && (assignee.id !== agent.id || options.force)) {
      // Assigning to someone else, or taking a ticket whoever holds it, is a transfer: admins only
      // (as replying to another agent's ticket is). Taking an unassigned ticket is a claim.
      const ticket = await store.tickets.get(ticketId);
      if (!ticket) throw notFound('ticket', ticketId);
      if (assignee.id !== agent.id || !mayHandle(ticket, agent)) throw forbidden(TRANSFER_ADMINS_ONLY, 'admins_only');
    }
    const result = await store.tickets.claim(ticketId, assignee.id, { force: options.force ?? false });
    if (!result) throw notFound('ticket', ticketId);
    if (!result.ok) {
      const holder = result.ticket.assigneeId ? await store.agents.get(result.ticket.assigneeId) : undefined;
      throw conflict('already_claimed', result.ticket.status === 'resolved' ? 'this ticket is already resolved' : `already claimed by ${holder?.name ?? 'another agent'}`);
    }
    const conversation = await store.conversations.update(result.ticket.conversationId, { state: 'assigned', assigneeId: assignee.id });
    await store.events.log({ type: 'assigned', conversationId: conversation.id, ticketId, channel: conversation.channel, agentId: assignee.id, data: { by: agent.id } });
    await writer.append(conversation, { author: 'system', content: { type: 'event', event: 'assigned', agentName: assignee.name } }, [{ type: 'ticket.assigned', data: { ticket: presentTicket(result.ticket) } }]);
    this.announce(conversation.id, ticketId);
    return result.ticket;
  }

  async reply(ticketId: string, agent: Agent, raw: string, clientId?: string): Promise<ChatMessage> {
    const text = cleanText(raw);
    if (text === '') throw invalid('empty_message', 'text is empty');
    if (byteLength(text) > this.deps.messageMaxBytes) throw tooLarge(`Messages are limited to ${this.deps.messageMaxBytes} bytes. Please shorten it or split it up.`);
    return this.send(ticketId, agent, { type: 'text', text }, clientId);
  }

  /** An agent's message of any customer-visible kind (text, an article card): the same rules as a reply. */
  async send(ticketId: string, agent: Agent, content: Exclude<MessageContent, { type: 'note' | 'event' }>, clientId?: string): Promise<ChatMessage> {
    const { store, writer, bus } = this.deps;
    let { ticket, conversation } = await this.ticketAndConversation(ticketId);
    if (ticket.status === 'resolved') throw conflict('ticket_resolved', 'this ticket is resolved; reopen it to reply');
    if (!mayHandle(ticket, agent)) throw forbidden(TRANSFER_ADMINS_ONLY, 'admins_only');
    // Replying to an unclaimed ticket claims it: the customer now talks to this agent.
    if (!ticket.assigneeId) {
      ticket = await this.claim(ticketId, agent);
      conversation = (await store.conversations.get(conversation.id)) ?? conversation;
    }
    const emailFollowUp = (await reachOf(store, this.deps.emailEnabled, conversation)).kind === 'email';
    const { message, duplicate } = await writer.append(conversation, {
      author: 'agent',
      authorId: agent.id,
      authorName: agent.name,
      content,
      clientId: clientId ?? null,
      ...(emailFollowUp ? { emailFollowUp } : {}),
    });
    if (duplicate) return message;
    if (!ticket.firstResponseAt) {
      await store.tickets.update(ticket.id, { firstResponseAt: message.createdAt });
      await store.events.log({ type: 'first_response', conversationId: conversation.id, ticketId, channel: conversation.channel, agentId: agent.id });
    }
    // An article the agent answered with teaches the bot ("Improve the bot": question → that article).
    const articles = content.type === 'article' ? [content.articleId] : content.type === 'text' ? linkedArticles(content.text) : [];
    await store.events.log({ type: 'agent_reply', conversationId: conversation.id, ticketId, channel: conversation.channel, agentId: agent.id, ...(articles.length ? { data: { articles } } : {}) });
    bus.publish({ type: 'ticket', ticketId, conversationId: conversation.id });
    return message;
  }

  async note(ticketId: string, agent: Agent, text: string): Promise<ChatMessage> {
    const { conversation } = await this.ticketAndConversation(ticketId);
    const { message } = await this.deps.writer.append(conversation, { author: 'agent', authorId: agent.id, authorName: agent.name, content: { type: 'note', text } });
    this.deps.bus.publish({ type: 'ticket', ticketId, conversationId: conversation.id });
    return message;
  }

  async resolve(ticketId: string, agent: Agent): Promise<Ticket> {
    const { store, writer, engine } = this.deps;
    const { ticket, conversation } = await this.ticketAndConversation(ticketId);
    if (ticket.status === 'resolved') return ticket;
    if (!mayHandle(ticket, agent)) throw forbidden(TRANSFER_ADMINS_ONLY, 'admins_only');
    const t = new Date().toISOString();
    const updated = await store.tickets.update(ticketId, { status: 'resolved', resolvedAt: t, ...(ticket.assigneeId ? {} : { assigneeId: agent.id }) });
    const resolved = await store.conversations.update(conversation.id, { state: 'resolved', resolvedAt: t, botState: { ...conversation.botState, awaitingCes: true } });
    await store.events.log({ type: 'resolved', conversationId: conversation.id, ticketId, channel: conversation.channel, agentId: agent.id, data: { by: 'agent' } });
    await writer.append(resolved, { author: 'system', content: { type: 'event', event: 'resolved', agentName: agent.name } }, [{ type: 'ticket.resolved', data: { ticket: presentTicket(updated) } }]);
    // A visitor who left gets the effort question by email, with the last replies.
    const emailFollowUp = (await reachOf(store, this.deps.emailEnabled, resolved)).kind === 'email';
    await writer.append(resolved, { author: 'bot', content: engine.cesPrompt(), ...(emailFollowUp ? { emailFollowUp } : {}) });
    this.announce(conversation.id, ticketId);
    return updated;
  }

  async reopen(ticketId: string, agent: Agent): Promise<Ticket> {
    const { store, writer } = this.deps;
    const { ticket, conversation } = await this.ticketAndConversation(ticketId);
    if (ticket.status !== 'resolved') return ticket;
    const updated = await store.tickets.update(ticketId, { status: ticket.assigneeId ? 'assigned' : 'open', resolvedAt: null });
    const reopened = await store.conversations.update(conversation.id, { state: ticket.assigneeId ? 'assigned' : 'queued', resolvedAt: null });
    await store.events.log({ type: 'reopened', conversationId: conversation.id, ticketId, channel: conversation.channel, agentId: agent.id });
    await writer.append(reopened, { author: 'system', content: { type: 'event', event: 'reopened', agentName: agent.name } });
    this.announce(conversation.id, ticketId);
    return updated;
  }
}
