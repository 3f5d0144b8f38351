/**
 * Wire protocol between the widget and the server (WebSocket frames and REST bodies).
 * Shared by both sides as types only; the server validates every inbound frame with zod.
 */
import type { Action, Channel, Reply } from '../../bot/types';

export type Author = 'customer' | 'bot' | 'agent' | 'system';

export type MessageContent =
  | Reply
  /** Text typed by a customer or an agent. */
  | { type: 'text'; text: string }
  /** A button the customer pressed, with the label they saw. */
  | { type: 'action'; action: Action; label: string }
  /** Internal agent note: stored in the transcript, never sent to the customer. */
  | { type: 'note'; text: string }
  /** A change of hands, shown as a small system line. */
  | { type: 'event'; event: 'escalated' | 'assigned' | 'resolved' | 'reopened'; agentName?: string };

export interface ChatMessage {
  id: string;
  conversationId: string;
  /** 1, 2, 3 … per conversation, without gaps: the client resumes from the last one it saw. */
  seq: number;
  author: Author;
  authorName?: string;
  content: MessageContent;
  createdAt: string;
  /** The sender's idempotency key, echoed so the sender can match its optimistic copy. */
  clientId?: string;
}

export type ConversationState = 'bot' | 'queued' | 'assigned' | 'resolved';

export interface ConversationView {
  id: string;
  channel: Channel;
  state: ConversationState;
  agentName?: string;
  /** Set when the customer left an email for an offline reply. */
  email?: string;
}

export interface Availability {
  agentsOnline: boolean;
  withinBusinessHours: boolean;
  /** Human sentence, e.g. "We usually reply within a few minutes." */
  expectedReply: string;
}

/** Frames the widget sends. */
export type ClientFrame =
  | { type: 'hello'; conversationId?: string; lastSeq: number }
  | { type: 'message'; clientId: string; text: string }
  | { type: 'action'; clientId: string; action: Action; label: string }
  | { type: 'typing' }
  | { type: 'ping' };

/** Frames the server sends. */
export type ServerFrame =
  | { type: 'ready'; conversation: ConversationView | null; availability: Availability }
  | { type: 'message'; message: ChatMessage }
  | { type: 'ack'; clientId: string; seq: number; conversationId: string }
  | { type: 'conversation'; conversation: ConversationView }
  | { type: 'typing'; author: 'bot' | 'agent'; name?: string }
  | { type: 'availability'; availability: Availability }
  | { type: 'error'; code: string; message: string; clientId?: string }
  | { type: 'pong' }
  /** The server is shutting down: reconnect (to another instance) after a short delay. */
  | { type: 'reconnect' };

/** POST /api/widget/session */
export interface SessionRequest {
  key: string;
  /** A token from an earlier visit (localStorage); omitted on the first visit. */
  token?: string;
  name?: string;
  email?: string;
  pageUrl?: string;
  attributes?: Record<string, string | number | boolean>;
}
export interface SessionResponse {
  token: string;
  customerId: string;
  availability: Availability;
}

/** GET /api/widget/suggest?q=…  (search-as-you-type, no conversation needed) */
export interface SuggestResponse {
  articles: { id: string; title: string; summary: string; url: string }[];
}

/** GET /api/widget/messages?after=N  (REST fallback for history; Authorization: Bearer <token>) */
export interface HistoryResponse {
  conversation: ConversationView | null;
  messages: ChatMessage[];
}

/** Every 4xx/5xx body. */
export interface ErrorBody {
  error: { code: string; message: string };
}
