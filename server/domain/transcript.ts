/**
 * The transcript model: what a conversation is made of, whatever the channel. Transport
 * formats (widget frames, Slack blocks, Teams cards, email) import from here, never the reverse.
 */
import type { Action, Channel, Reply } from '../../bot/types';

export type { Action, Channel, Reply };

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
  /** 1, 2, 3 … per conversation, without gaps: a client resumes from the last one it saw. */
  seq: number;
  author: Author;
  authorName?: string;
  content: MessageContent;
  createdAt: string;
  /** The sender's idempotency key, echoed so the sender can match its optimistic copy. */
  clientId?: string;
}

export type ConversationState = 'bot' | 'queued' | 'assigned' | 'resolved';

/** Messages a customer may see (internal notes are for agents only). */
export function visibleToCustomer(message: Pick<ChatMessage, 'content'>): boolean {
  return message.content.type !== 'note';
}

/** Surveys and contact details answer a conversation whatever its state, even once resolved. */
export function acceptedInAnyState(action: Action): boolean {
  return action.kind === 'ces' || action.kind === 'csat' || action.kind === 'nps' || action.kind === 'email';
}
