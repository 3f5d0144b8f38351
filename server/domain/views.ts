import type { Channel, ConversationState } from './transcript';

/** What a customer-facing client shows of a conversation. */
export interface ConversationView {
  id: string;
  channel: Channel;
  state: ConversationState;
  agentName?: string;
  /** Set when the customer left an email for an offline reply. */
  email?: string;
}

/** What a customer is told about getting a person: who is online and when we reply. */
export interface Availability {
  agentsOnline: boolean;
  withinBusinessHours: boolean;
  /** Email is set up (SMTP_URL): only then may the widget promise a reply by email. */
  emailReplies: boolean;
  /** Human sentence, e.g. "We usually reply within a few minutes." */
  expectedReply: string;
}
