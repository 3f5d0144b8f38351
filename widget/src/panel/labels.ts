/** User-facing strings derived from protocol values, in one place. */
import type { CesScale } from '../../../bot/types';
import type { Availability, ChatMessage, ConversationView, MessageContent } from '../../../server/realtime/protocol';
import type { LinkStatus } from './chat';

export function eventText(content: Extract<MessageContent, { type: 'event' }>): string {
  switch (content.event) {
    case 'escalated':
      return "You're in the queue. A person will be with you soon.";
    case 'assigned':
      return `${content.agentName ?? 'An agent'} joined the conversation`;
    case 'resolved':
      return 'Conversation resolved';
    case 'reopened':
      return 'Conversation reopened';
    default:
      return '';
  }
}

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

/**
 * Customer effort score options. The seven-point scale is 1 (very difficult) … 7 (very easy);
 * the three-choice variant maps Easy / Neutral / Difficult onto the same scale as 7 / 4 / 1
 * so both variants report comparable scores.
 */
export function cesOptions(scale: CesScale): { score: number; label: string; name: string }[] {
  if (scale === 'three-choice') {
    return [
      { score: 7, label: 'Easy', name: 'Easy' },
      { score: 4, label: 'Neutral', name: 'Neutral' },
      { score: 1, label: 'Difficult', name: 'Difficult' },
    ];
  }
  return [1, 2, 3, 4, 5, 6, 7].map((n) => ({
    score: n,
    label: String(n),
    name: n === 1 ? '1, very difficult' : n === 7 ? '7, very easy' : String(n),
  }));
}

/** CSAT options 1 (very dissatisfied) … `scale` (very satisfied), named for screen readers like the CES ones. */
export function csatOptions(scale: number): { score: number; label: string; name: string }[] {
  return Array.from({ length: scale }, (_, i) => {
    const n = i + 1;
    return { score: n, label: String(n), name: n === 1 ? '1, very dissatisfied' : n === scale ? `${n}, very satisfied` : String(n) };
  });
}
