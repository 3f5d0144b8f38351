/** Shapes of the console API. Transcript and ticket types come straight from the server. */
import type { Channel } from '../../bot/types';
import type { ChatMessage, ConversationState, MessageContent } from '../../server/channels/web/protocol';
import type { BotAttempt, Ticket, TicketPriority, TicketStatus } from '../../server/store/types';

export type { BotAttempt, Channel, ChatMessage, ConversationState, MessageContent, Ticket, TicketPriority, TicketStatus };

export const CHANNELS: Channel[] = ['web', 'slack', 'msteams', 'email'];
export const PRIORITY_LIST: TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
export const CHANNEL_LABEL: Record<Channel, string> = { web: 'Web', slack: 'Slack', msteams: 'Teams', email: 'Email' };

export type Role = 'agent' | 'editor' | 'admin';
export type Presence = 'online' | 'away' | 'offline';

export interface AgentInfo {
  id: string;
  name: string;
  email: string;
  role: Role;
  presence?: Presence;
}

export interface Session {
  agent: AgentInfo;
  csrfToken: string;
}

export type QueueTicket = Ticket & { assigneeName: string | null; customerName: string | null; slaBreached: boolean };

export interface CustomerInfo {
  id: string;
  name: string | null;
  email: string | null;
  attributes: Record<string, string | number | boolean>;
  pageUrl: string | null;
  channel?: Channel;
  createdAt?: string;
  lastSeenAt?: string;
}

export interface TicketDetail {
  ticket: QueueTicket;
  conversation: { id: string; channel: Channel; state: ConversationState; agentName?: string; email?: string } | null;
  customer: CustomerInfo | null;
  messages: ChatMessage[];
  previousConversations: { id: string; channel: Channel; state: ConversationState; createdAt: string }[];
  /** Replies the customer's platform has not taken: `failed` for good, `pending` while retried. */
  deliveryProblems?: DeliveryProblem[];
}

export interface DeliveryProblem {
  /** Which deliverer failed (email may carry a widget conversation's replies). */
  channel?: string;
  messageId: string | null;
  state: 'pending' | 'failed' | 'sent';
  reason: string | null;
  attempts: number;
  nextAttemptAt: string | null;
}

export interface TicketQuery {
  status: string;
  channel: string;
  assignee: string;
  priority: string;
}

export type { Branding } from '../../server/domain/branding';

/** An article for the composer's "Insert article" picker. */
export interface HelpArticle {
  id: string;
  title: string;
  summary: string;
  locale: string;
  url: string;
}

/** One of the customer's conversations, for "Previous conversations". */
export interface PastConversation {
  id: string;
  channel: Channel;
  state: ConversationState;
  createdAt: string;
  subject: string | null;
  ticketId: string | null;
}

export interface CannedResponse {
  id: string;
  title: string;
  body: string;
}

/** The dashboard payload, exactly as the server computes it. */
export type { Metrics } from '../../server/metrics/dashboard';

export type MetricsTable = 'summary' | 'daily' | 'agents' | 'articles' | 'unanswered';

