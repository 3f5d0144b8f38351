import type { Selectable } from 'kysely';
import type { BotState } from '../../bot/engine';
import type { Channel, ChatMessage, ConversationState, MessageContent } from '../domain/transcript';
import type { AgentsTable, ConversationsTable, CustomersTable, EventsTable, MessagesTable, OutboxTable, SurveysTable, TicketsTable } from './schema';
import type { Agent, Conversation, Customer, EventRow, OutboxItem, StoredSurvey, Ticket } from './types';

/** Row ↔ entity mapping shared by the store areas. Structured values are JSON text in both databases. */

export const now = () => new Date().toISOString();

/** When an outbox row becomes due: now, or after its delay (email's batching window). */
export const dueAt = (at: string, delayMs: number | undefined) => (delayMs ? new Date(Date.parse(at) + delayMs).toISOString() : at);

export function json<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Unique-constraint violation in either backend. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

export const toCustomer = (r: Selectable<CustomersTable>): Customer => ({
  id: r.id,
  channel: r.channel as Channel,
  externalId: r.external_id,
  name: r.name,
  email: r.email,
  attributes: json(r.attributes, {}),
  pageUrl: r.page_url,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
});

export const toConversation = (r: Selectable<ConversationsTable>): Conversation => ({
  id: r.id,
  customerId: r.customer_id,
  channel: r.channel as Channel,
  threadKey: r.thread_key,
  generation: Number(r.generation),
  state: r.state as ConversationState,
  botState: json<BotState>(r.bot_state, { misses: 0, tried: [] }),
  lastSeq: Number(r.last_seq),
  assigneeId: r.assignee_id,
  channelRef: json<unknown>(r.channel_ref, null),
  email: r.email,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  resolvedAt: r.resolved_at,
});

export const toMessage = (r: Selectable<MessagesTable>): ChatMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  seq: Number(r.seq),
  author: r.author as ChatMessage['author'],
  ...(r.author_name ? { authorName: r.author_name } : {}),
  content: json<MessageContent>(r.content, { type: 'text', text: '' }),
  createdAt: r.created_at,
  ...(r.client_id ? { clientId: r.client_id } : {}),
});

/** The stored messages of a turn from what was written (ids, JSON content) and the conversation's new last seq. */
export function turnMessages(conversationId: string, rows: readonly { id: string; author: MessagesTable['author']; content: string; clientId: string | null }[], lastSeq: number, at: string): ChatMessage[] {
  const first = lastSeq - rows.length + 1;
  return rows.map((m, i) => toMessage({ id: m.id, conversation_id: conversationId, seq: first + i, author: m.author, author_id: null, author_name: null, content: m.content, client_id: m.clientId, created_at: at }));
}

export const toTicket = (r: Selectable<TicketsTable>): Ticket => ({
  id: r.id,
  conversationId: r.conversation_id,
  customerId: r.customer_id,
  channel: r.channel as Channel,
  status: r.status as Ticket['status'],
  priority: r.priority as Ticket['priority'],
  assigneeId: r.assignee_id,
  subject: r.subject,
  reason: r.reason,
  tags: json(r.tags, []),
  attempts: json(r.attempts, []),
  firstResponseDueAt: r.first_response_due_at,
  firstResponseAt: r.first_response_at,
  resolvedAt: r.resolved_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toEvent = (r: Selectable<EventsTable>): EventRow => ({
  id: Number(r.id),
  type: r.type,
  conversationId: r.conversation_id,
  ticketId: r.ticket_id,
  channel: r.channel,
  agentId: r.agent_id,
  data: json(r.data, {}),
  createdAt: r.created_at,
});

export const toAgent = (r: Selectable<AgentsTable>): Agent => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role as Agent['role'],
  passwordHash: r.password_hash,
  presence: r.presence as Agent['presence'],
  lastSeenAt: r.last_seen_at,
  createdAt: r.created_at,
});

export const toOutboxItem = (r: Selectable<OutboxTable>): OutboxItem => ({
  id: Number(r.id),
  channel: r.channel,
  conversationId: r.conversation_id,
  messageId: r.message_id,
  payload: json<Record<string, unknown>>(r.payload, {}),
  state: r.state as OutboxItem['state'],
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  doneAt: r.done_at,
});

/** A CES answer (with the CSAT that may follow it) as stored. */
export const toStoredSurvey = (r: Selectable<SurveysTable>): StoredSurvey => ({
  conversationId: r.conversation_id,
  channel: r.channel as Channel,
  kind: 'ces',
  score: Number(r.score),
  comment: r.comment,
  articleId: r.article_id,
  intent: r.intent,
  agentId: r.agent_id,
  humanInvolved: Number(r.human_involved) === 1,
  csat: r.csat === null ? null : Number(r.csat),
  createdAt: r.created_at,
});
