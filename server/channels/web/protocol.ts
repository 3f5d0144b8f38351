/**
 * Wire protocol between the widget and the server (WebSocket frames and REST bodies). The
 * transcript model comes from the domain; this file only adds the transport around it.
 * Shared by both sides as types only; the server validates every inbound frame with zod.
 */
import type { Action, ChatMessage } from '../../domain/transcript';
import type { Availability, ConversationView } from '../../domain/views';

export type { Author, ChatMessage, ConversationState, MessageContent } from '../../domain/transcript';
export type { Availability, ConversationView } from '../../domain/views';

/** Limits the widget applies before sending (the server applies them again). */
export interface WidgetLimits {
  /** UTF-8 bytes of one message: the same number the server refuses above. */
  messageMaxBytes: number;
}

/** Frames the widget sends. */
export type ClientFrame =
  /** `pin`: a conversation the customer asked to see (a "Continue in chat" link), shown instead of their latest. */
  | { type: 'hello'; conversationId?: string; lastSeq: number; pin?: string }
  | { type: 'message'; clientId: string; text: string }
  /** `conversationId`: the conversation whose buttons these are (default: the one shown). */
  | { type: 'action'; clientId: string; action: Action; label: string; conversationId?: string }
  | { type: 'typing' }
  | { type: 'ping' };

/** Frames the server sends. */
export type ServerFrame =
  | { type: 'ready'; conversation: ConversationView | null; availability: Availability; limits: WidgetLimits }
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
  limits: WidgetLimits;
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
