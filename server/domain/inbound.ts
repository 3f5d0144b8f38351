/**
 * The one shape every channel adapter produces from a platform event (a widget frame, a Slack
 * event or click, a Teams activity, an email). The conversation service takes it through one
 * entry that applies the limits, de-duplication, conversation scoping and button rules once
 * for every channel.
 */
import type { Action, ChatMessage, Channel } from './transcript';
import type { DomainError } from './errors';

/** Who sent it: a known customer id (the widget's signed token), or the platform's user id. */
export type InboundSender =
  | { customerId: string }
  | { externalId: string; /** Profile details for a customer seen for the first time. */ profile?: () => Promise<{ name?: string; email?: string }> };

export type InboundBody =
  | { type: 'text'; text: string }
  | {
      type: 'action';
      action: Action;
      label: string;
      /** The conversation whose buttons were pressed (Slack/Teams carry it in the button). */
      conversationId?: string;
      /** The platform message the buttons were on: one answer per card. */
      cardId?: string;
    };

export interface Inbound {
  channel: Channel;
  sender: InboundSender;
  /**
   * The platform thread this belongs to (Slack channel + thread ts, Teams conversation id,
   * `web` for the widget's one thread per visitor). With the customer it picks the conversation.
   */
  threadKey: string;
  /** False for follow-ups that only count inside a thread the member already has with the bot. */
  mayStart: boolean;
  body: InboundBody;
  /** The platform's id for this message or click: the same id is stored once, answered once. */
  platformId?: string;
  receivedAt: Date;
  /** Where replies go (Slack thread, Teams ConversationReference), kept on the conversation. */
  channelRef?: unknown;
  /** Where a refusal is told, when that differs from `channelRef` (e.g. a Slack ephemeral target). */
  replyTo?: unknown;
}

export type InboundResult =
  | { kind: 'stored'; message: ChatMessage; conversationId: string; duplicate: boolean }
  | { kind: 'ignored'; reason: 'empty' | 'unknown_thread' | 'unknown_sender' }
  | { kind: 'refused'; error: DomainError; /** The conversation's member, for "these buttons are for …". */ ownerExternalId?: string | null };

/**
 * Called once the customer's message is stored, before the bot works on it: the moment to ack.
 * Awaited, so whatever the adapter sends here leaves before the bot's answer.
 */
export type StoredHook = (message: ChatMessage, conversation: { id: string; opened: boolean }, duplicate: boolean) => void | Promise<void>;
