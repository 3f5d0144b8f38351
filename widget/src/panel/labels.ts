/** User-facing strings derived from protocol values, in one place, in the visitor's language. */
import type { Availability, ChatMessage, ConversationView } from '../../../server/channels/web/protocol';
import type { Translate } from '../i18n';
import type { LinkStatus } from './chat';

export function authorName(m: Pick<ChatMessage, 'author' | 'authorName'>, t: Translate): string {
  if (m.authorName) return m.authorName;
  return m.author === 'bot' ? t('bot') : m.author === 'agent' ? t('agent') : t('you');
}

export function errorText(code: string, fallback: string, t: Translate): string {
  switch (code) {
    case 'message_too_large':
      return t('errTooLarge');
    case 'rate_limited':
      return t('errRate');
    case 'empty_message':
      return t('errEmpty');
    default:
      return fallback || t('errGeneric');
  }
}

export const isOffline = (a: Availability | null): boolean => !!a && (!a.agentsOnline || !a.withinBusinessHours);

/**
 * The strip under the header: the connection when it is down, else who has the conversation.
 * Queued while nobody is online says nothing here: the transcript's email request already says
 * what happens next, and the header says where the reply will go.
 */
export function statusLine(conversation: ConversationView | null, link: LinkStatus, availability: Availability | null, t: Translate): string {
  if (link === 'reconnecting') return t('reconnecting');
  if (link === 'fallback') return t('lost');
  switch (conversation?.state) {
    case 'queued':
      return isOffline(availability) ? '' : t('waiting');
    case 'assigned':
      return t('helping', { name: conversation.agentName ?? t('agent') });
    case 'resolved':
      return t('resolvedLine');
    default:
      return '';
  }
}

/** The header's presence line: where a reply will come from, reflecting what we know. */
export function presenceLine(availability: Availability | null, email: string | undefined, team: { name: string }[], t: Translate, assigned = false): { text: string; online: boolean } {
  // A person has the conversation (even after hours): "away" under "Lee is helping you" would contradict it.
  const online = assigned || (!!availability && !isOffline(availability));
  if (!online && email) return { text: t('replyTo', { email }), online };
  if (!availability) return { text: '', online };
  // A reply by email is promised only when email is set up (SMTP_URL); otherwise it comes here.
  if (!online) return { text: t(availability.emailReplies ? 'away' : 'awayHere'), online };
  return { text: team.length ? t('onlineNames', { names: team.map((m) => m.name).join(', ') }) : t('online'), online };
}
