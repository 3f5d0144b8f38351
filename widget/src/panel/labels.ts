/** User-facing strings derived from protocol values, in one place. */
import type { Availability, ChatMessage, ConversationView, MessageContent } from '../../../server/channels/web/protocol';
import type { LinkStatus } from './chat';


export function authorName(m: Pick<ChatMessage, 'author' | 'authorName'>): string {
  if (m.authorName) return m.authorName;
  return m.author === 'bot' ? 'Bot' : m.author === 'agent' ? 'Support agent' : m.author === 'customer' ? 'You' : 'System';
}

export function errorText(code: string, fallback: string): string {
  switch (code) {
    case 'message_too_large':
      return 'That message is too long. Please shorten it or split it up.';
    case 'rate_limited':
      return "You're sending messages too quickly. Please wait a moment and try again.";
    case 'empty_message':
      return 'The message is empty.';
    default:
      return fallback || 'Something went wrong. Please try again.';
  }
}

/** The line under the header: who is handling the conversation, or the connection state. */
export function statusLine(conversation: ConversationView | null, link: LinkStatus): string {
  if (link === 'reconnecting') return 'Reconnecting…';
  if (link === 'fallback') return 'Connection lost. Trying to reconnect…';
  switch (conversation?.state) {
    case 'queued':
      return 'Waiting for an agent…';
    case 'assigned':
      return `${conversation.agentName ?? 'An agent'} is helping you`;
    case 'resolved':
      return 'This conversation is resolved. Send a message if you need anything else.';
    default:
      return '';
  }
}

export function availabilityLine(a: Availability | null): string {
  if (!a) return '';
  return a.agentsOnline && a.withinBusinessHours ? `We're online. ${a.expectedReply}` : a.expectedReply;
}

export const isOffline = (a: Availability | null): boolean => !!a && (!a.agentsOnline || !a.withinBusinessHours);


