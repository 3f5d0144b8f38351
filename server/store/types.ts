import type { BotState } from '../../bot/engine';
import type { Channel } from '../../bot/types';
import type { Author, ChatMessage, ConversationState, MessageContent } from '../realtime/protocol';

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

/** A CES answer. The optional CSAT question follows it and is stored on the same row (`csat`). */
export interface Survey {
  conversationId: string;
  channel: Channel;
  kind: 'ces';
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
  role: 'agent' | 'admin';
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
 * The one storage interface. Both backends (SQLite, PostgreSQL) implement it with the same
 * kysely queries, and the same test suite runs against both.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
  ping(): Promise<void>;

  upsertCustomer(input: Partial<Customer> & { id?: string; channel: Channel }): Promise<Customer>;
  getCustomer(id: string): Promise<Customer | undefined>;
  findCustomerByExternalId(channel: Channel, externalId: string): Promise<Customer | undefined>;

  createConversation(input: { customerId: string; channel: Channel; channelRef?: unknown }): Promise<Conversation>;
  getConversation(id: string): Promise<Conversation | undefined>;
  /** The customer's latest conversation that is not resolved (or resolved but awaiting nothing). */
  latestConversation(customerId: string): Promise<Conversation | undefined>;
  listConversationsOfCustomer(customerId: string, limit?: number): Promise<Conversation[]>;
  updateConversation(id: string, patch: Partial<Pick<Conversation, 'state' | 'botState' | 'assigneeId' | 'channelRef' | 'email' | 'resolvedAt'>>): Promise<Conversation>;

  appendMessage(input: NewMessage): Promise<AppendResult>;
  listMessages(conversationId: string, afterSeq?: number, limit?: number): Promise<ChatMessage[]>;

  createTicket(input: Omit<Ticket, 'id' | 'createdAt' | 'updatedAt' | 'firstResponseAt' | 'resolvedAt' | 'assigneeId' | 'status'>): Promise<Ticket>;
  getTicket(id: string): Promise<Ticket | undefined>;
  getTicketByConversation(conversationId: string): Promise<Ticket | undefined>;
  listTickets(filter?: TicketFilter): Promise<Ticket[]>;
  /** Atomic: only succeeds when nobody holds the ticket (or `force` for transfers). */
  claimTicket(id: string, agentId: string, options?: { force?: boolean }): Promise<ClaimResult | undefined>;
  updateTicket(id: string, patch: Partial<Pick<Ticket, 'status' | 'priority' | 'tags' | 'assigneeId' | 'firstResponseAt' | 'resolvedAt' | 'subject'>>): Promise<Ticket>;

  logEvent(event: NewEvent): Promise<void>;
  listEvents(range: { from: string; to: string; types?: string[]; channel?: string }): Promise<EventRow[]>;
  listConversationEvents(conversationId: string): Promise<EventRow[]>;

  recordSurvey(survey: Survey): Promise<boolean>;
  /**
   * Sets the CSAT score on the conversation's CES survey. True the first time; false when it
   * is already set (the first answer wins) or there is no CES answer to attach it to. Throws
   * a 400 HttpError for anything but an integer 1–5.
   */
  recordCsat(conversationId: string, score: number): Promise<boolean>;
  listSurveys(range: { from: string; to: string; channel?: string }): Promise<StoredSurvey[]>;
  recordArticleFeedback(input: { articleId: string; helpful: boolean; source: string; conversationId?: string | null }): Promise<void>;
  articleFeedbackCounts(range: { from: string; to: string }): Promise<{ articleId: string; helpful: number; notHelpful: number }[]>;

  /** Returns true the first time a key is seen (Slack event_id, Teams activity id …). */
  markProcessed(key: string): Promise<boolean>;
  /** Fixed-window counter; returns the count after this hit. */
  hitRateLimit(key: string, windowMs: number): Promise<number>;
  /** Current count of a fixed window without adding a hit. */
  rateLimitCount(key: string, windowMs: number): Promise<number>;

  createAgent(input: Pick<Agent, 'email' | 'name' | 'role' | 'passwordHash'>): Promise<Agent>;
  getAgent(id: string): Promise<Agent | undefined>;
  getAgentByEmail(email: string): Promise<Agent | undefined>;
  listAgents(): Promise<Agent[]>;
  countAgents(): Promise<number>;
  setPresence(agentId: string, presence: Agent['presence']): Promise<void>;
  createSession(agentId: string, ttlMs: number): Promise<Session>;
  getSession(id: string): Promise<(Session & { agent: Agent }) | undefined>;
  deleteSession(id: string): Promise<void>;

  listCannedResponses(): Promise<CannedResponse[]>;
  createCannedResponse(input: { title: string; body: string; createdBy?: string | null }): Promise<CannedResponse>;
  deleteCannedResponse(id: string): Promise<void>;
}
