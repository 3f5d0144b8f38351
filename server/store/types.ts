import type { BotState } from '../../bot/engine';
import type { Author, Channel, ChatMessage, ConversationState, MessageContent } from '../domain/transcript';
import type { AgentStore } from './agents';
import type { ApiKeyStore } from './api-keys';
import type { ApiReadStore } from './api-reads';
import type { ConversationStore } from './conversations';
import type { CustomerStore } from './customers';
import type { EmailStore } from './email';
import type { EventStore } from './events';
import type { KnowledgeStore } from './knowledge';
import type { LimitStore } from './limits';
import type { MetricsStore } from './metrics';
import type { OutboxStore } from './outbox';
import type { SurveyStore } from './surveys';
import type { TicketStore } from './tickets';
import type { WebhookStore } from './webhooks';
import type { UiStore } from './ui';

export interface Customer {
  id: string;
  channel: Channel;
  externalId: string | null;
  name: string | null;
  email: string | null;
  attributes: Record<string, string | number | boolean>;
  pageUrl: string | null;
  createdAt: string;
  lastSeenAt: string;
}

export interface Conversation {
  id: string;
  customerId: string;
  channel: Channel;
  /** The platform thread it lives in (see Inbound.threadKey); with the customer, it finds the conversation. */
  threadKey: string;
  /** 1 for the thread's first conversation, +1 each time a resolved thread starts afresh. */
  generation: number;
  state: ConversationState;
  botState: BotState;
  lastSeq: number;
  assigneeId: string | null;
  channelRef: unknown;
  email: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
}

export type TicketStatus = 'open' | 'assigned' | 'resolved';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export const PRIORITIES: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];

/** What the bot tried before a person took over, shown to the agent. */
export interface BotAttempt {
  at: string;
  customerText?: string;
  action: string;
  refs: string[];
  confidence?: number;
}

export interface Ticket {
  id: string;
  conversationId: string;
  customerId: string;
  channel: Channel;
  status: TicketStatus;
  priority: TicketPriority;
  assigneeId: string | null;
  subject: string;
  reason: string;
  tags: string[];
  attempts: BotAttempt[];
  firstResponseDueAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewMessage {
  conversationId: string;
  author: Author;
  authorId?: string | null;
  authorName?: string | null;
  content: MessageContent;
  /** Idempotency key from the sender; a second append with the same key returns the first. */
  clientId?: string | null;
}

/** A row for the delivery worker, written in the same transaction as the message it carries. */
export interface NewOutboxItem {
  /** Which deliverer sends it: a channel name, later `email` or `webhook`. */
  channel: string;
  /** Channel-specific: `{ type: 'message' }` for the message appended with it, or a notice. */
  payload: Record<string, unknown>;
  /** Not before this many ms from now (email's batching window); due at once by default. */
  delayMs?: number;
}

export interface OutboxItem {
  id: number;
  channel: string;
  conversationId: string | null;
  messageId: string | null;
  payload: Record<string, unknown>;
  state: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  doneAt: string | null;
}

export interface AppendResult {
  message: ChatMessage;
  /** True when this clientId was already stored: nothing new was written. */
  duplicate: boolean;
}

export interface TicketFilter {
  status?: TicketStatus[];
  channel?: Channel;
  assigneeId?: string | null;
  priority?: TicketPriority;
  limit?: number;
  createdFrom?: string;
  createdTo?: string;
}

export interface EventRow {
  id: number;
  type: string;
  conversationId: string | null;
  ticketId: string | null;
  channel: string | null;
  agentId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

export interface NewEvent {
  type: string;
  conversationId?: string | null;
  ticketId?: string | null;
  channel?: string | null;
  agentId?: string | null;
  data?: Record<string, unknown>;
}

/**
 * A survey answer: CES (the optional CSAT question follows it and is stored on the same row,
 * `csat`), or NPS (0–10, its own row). One of each kind per conversation.
 */
export interface Survey {
  conversationId: string;
  channel: Channel;
  kind: 'ces' | 'nps';
  score: number;
  comment?: string | null;
  articleId?: string | null;
  intent?: string | null;
  agentId?: string | null;
  humanInvolved: boolean;
}

export interface StoredSurvey extends Survey {
  /** CSAT 1–5 given after this CES answer; null when it was not asked or not answered. */
  csat: number | null;
  createdAt: string;
}

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: 'agent' | 'admin' | 'editor';
  passwordHash: string;
  presence: 'online' | 'away' | 'offline';
  lastSeenAt: string | null;
  createdAt: string;
}

export interface Session {
  id: string;
  agentId: string;
  csrfToken: string;
  expiresAt: string;
}

export interface CannedResponse {
  id: string;
  title: string;
  body: string;
}

export interface ClaimResult {
  ok: boolean;
  ticket: Ticket;
}

/**
 * Storage, by area. Each area is its own small interface in its own file; both backends
 * (SQLite, PostgreSQL) implement every area with the same kysely queries, and one contract
 * suite (test/store) runs against both.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
  ping(): Promise<void>;
  readonly customers: CustomerStore;
  readonly conversations: ConversationStore;
  readonly tickets: TicketStore;
  readonly events: EventStore;
  readonly surveys: SurveyStore;
  readonly agents: AgentStore;
  readonly limits: LimitStore;
  readonly outbox: OutboxStore;
  readonly metrics: MetricsStore;
  readonly apiKeys: ApiKeyStore;
  readonly webhooks: WebhookStore;
  readonly apiReads: ApiReadStore;
  readonly email: EmailStore;
  readonly knowledge: KnowledgeStore;
  readonly ui: UiStore;
}
