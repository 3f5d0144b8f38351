import type { Logger } from 'pino';
import type { ConversationEngine } from '../../bot/engine';
import type { Config } from '../config';
import type { Inbound, InboundResult, StoredHook } from '../domain/inbound';
import type { ChatMessage, Channel } from '../domain/transcript';
import type { Availability, ConversationView } from '../domain/views';
import type { RealtimeBus } from '../realtime/bus';
import type { Agent, Conversation, Store, Ticket } from '../store/types';
import { AgentWork } from './agent-work';
import { availability } from './availability';
import { BotTurns } from './bot-turn';
import { escalate } from './escalation';
import { type Reach, reachOf } from './reach';
import { InboundEntry } from './receive';
import { type ChannelOutbound, TranscriptWriter } from './writer';
import { DomainEvents } from '../webhooks/emitter';
import { type TicketChange, updateTicket } from './ticket-fields';

export type { Availability, ConversationView } from '../domain/views';
export type { ChannelOutbound, MessageDraft } from './writer';
export type { Reach } from './reach';

export interface ConversationDeps {
  store: Store;
  engine: ConversationEngine;
  bus: RealtimeBus;
  config: Config;
  log: Logger;
  /** Wakes the local delivery worker when an outbox row was written (it polls as well). */
  nudgeDelivery?: () => void;
}


/**
 * Everything that happens to a conversation, whatever the channel: customer input enters
 * through `receive` (limits, de-duplication, scoping, button rules — once for all channels),
 * the bot answers while it owns the conversation, engine events become tickets, log rows and
 * surveys, and agents reply, note and resolve. Adapters call this; they never decide.
 */
export class ConversationService {
  private readonly writer: TranscriptWriter;
  private readonly turns: BotTurns;
  private readonly entry: InboundEntry;
  private readonly work: AgentWork;
  /** Webhook events (see server/webhooks/catalogue.ts); other areas call `events.emit(...)`. */
  readonly events: DomainEvents;

  constructor(private readonly deps: ConversationDeps) {
    const { store, bus, engine, config, log } = deps;
    this.events = new DomainEvents({ store, bus, nudge: () => deps.nudgeDelivery?.() });
    this.writer = new TranscriptWriter({ store, bus, nudge: () => deps.nudgeDelivery?.(), events: this.events });
    const surveyDefaults = { csat: config.csat.enabled, ...config.surveys };
    this.turns = new BotTurns({ store, engine, writer: this.writer, bus, log, events: this.events, surveyDefaults, escalate: (c, reason, language) => this.escalate(c, reason, language), availability: () => this.availability() });
    this.entry = new InboundEntry({ store, writer: this.writer, turns: this.turns, bus, config, log });
    this.work = new AgentWork({ store, writer: this.writer, bus, engine, messageMaxBytes: config.messageMaxBytes, emailEnabled: config.email.enabled });
  }

  /** A platform channel declares which stored messages leave through it (see ChannelOutbound). */
  registerChannel(channel: Channel, outbound: ChannelOutbound, alsoFor: Channel[] = []): void {
    this.writer.register(channel, outbound, alsoFor);
  }

  // --- reading ---------------------------------------------------------------------------

  async view(conversation: Conversation): Promise<ConversationView> {
    const agent = conversation.assigneeId ? await this.deps.store.agents.get(conversation.assigneeId) : undefined;
    return {
      id: conversation.id,
      channel: conversation.channel,
      state: conversation.state,
      ...(agent ? { agentName: agent.name } : {}),
      ...(conversation.email ? { email: conversation.email } : {}),
    };
  }

  /** How an agent's reply would reach the customer now (the console's hint above the composer). */
  reach(conversation: Conversation): Promise<Reach> {
    return reachOf(this.deps.store, this.deps.config.email.enabled, conversation);
  }

  availability(): Promise<Availability> {
    return availability(this.deps.store, this.deps.config);
  }

  // --- customer side ---------------------------------------------------------------------

  /** The one entry for customer input from any channel. */
  receive(inbound: Inbound, onStored?: StoredHook): Promise<InboundResult> {
    return this.entry.receive(inbound, onStored);
  }

  /** A comment on the CES answer given afterwards (email's survey landing page): the first one counts. */
  async addSurveyComment(conversationId: string, comment: string): Promise<boolean> {
    const text = comment.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '').trim();
    if (!text) return false;
    return this.deps.store.surveys.addComment(conversationId, text);
  }

  answerPending(conversationId: string, graceMs: number): Promise<{ retryInMs: number } | { answered: boolean }> {
    return this.turns.answerPending(conversationId, graceMs);
  }

  /** A platform notice outside any transcript (e.g. Teams' welcome), through the outbox. */
  notice(channel: Channel, payload: Record<string, unknown>): Promise<void> {
    return this.writer.notice(channel, payload);
  }

  escalate(conversation: Conversation, reason: string, language?: string): Promise<Ticket> {
    return escalate({ store: this.deps.store, writer: this.writer, bus: this.deps.bus, config: this.deps.config }, conversation, reason, language);
  }

  /**
   * The CES question after a resolution nobody announced (an idle bot conversation closed as
   * resolved): in the conversation's channel, answerable whatever its state.
   */
  async askForEffort(conversationId: string): Promise<void> {
    const conversation = await this.deps.store.conversations.get(conversationId);
    if (!conversation || conversation.state !== 'resolved') return;
    const updated = await this.deps.store.conversations.update(conversation.id, { botState: { ...conversation.botState, awaitingCes: true } });
    await this.writer.append(updated, { author: 'bot', content: this.deps.engine.cesPrompt() });
  }

  // --- agent side ------------------------------------------------------------------------

  claim(ticketId: string, agent: Agent, options: { force?: boolean; assignTo?: Agent } = {}): Promise<Ticket> {
    return this.work.claim(ticketId, agent, options);
  }

  agentReply(ticketId: string, agent: Agent, text: string, clientId?: string): Promise<ChatMessage> {
    return this.work.reply(ticketId, agent, text, clientId);
  }

  /** An article card (or other customer-visible content) from an agent, delivered in the customer's channel. */
  agentSend(...args: Parameters<AgentWork['send']>): Promise<ChatMessage> {
    return this.work.send(...args);
  }

  addNote(ticketId: string, agent: Agent, text: string): Promise<ChatMessage> {
    return this.work.note(ticketId, agent, text);
  }

  resolve(ticketId: string, agent: Agent): Promise<Ticket> {
    return this.work.resolve(ticketId, agent);
  }

  reopen(ticketId: string, agent: Agent): Promise<Ticket> {
    return this.work.reopen(ticketId, agent);
  }

  /** Priority and tags (add/remove/replace), from the console or the API. */
  updateTicket(ticketId: string, change: TicketChange): Promise<Ticket> {
    return updateTicket(this.deps.store, this.deps.bus, ticketId, change);
  }
}
