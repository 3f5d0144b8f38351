/** Plain-text descriptions of transcript items and bot attempts (pure; the views render them as text). */
import type { Action } from '../../bot/types';
import type { BotAttempt, MessageContent } from './types';

type EventContent = Extract<MessageContent, { type: 'event' }>;

export function eventLabel(content: EventContent): string {
  const who = content.agentName ? ` ${content.agentName}` : '';
  switch (content.event) {
    case 'escalated':
      return 'Escalated to the support team';
    case 'assigned':
      return who ? `Assigned to${who}` : 'Assigned';
    case 'resolved':
      return who ? `Resolved by${who}` : 'Resolved';
    case 'reopened':
      return who ? `Reopened by${who}` : 'Reopened';
    default:
      return String((content as { event: string }).event);
  }
}

/** What a customer's button press meant, e.g. "Not helpful", "Rated effort 6/7", "Rated satisfaction 5/5". */
export function actionDetail(action: Action): string {
  switch (action.kind) {
    case 'feedback':
      return action.helpful ? 'Marked the answer helpful' : 'Marked the answer not helpful';
    case 'choose':
      return `Chose ${action.candidate.kind} ${action.candidate.id}`;
    case 'handoff':
      return 'Asked for a person';
    case 'ces':
      return `Rated effort ${action.score}/7${action.comment ? ` — “${action.comment}”` : ''}`;
    case 'csat':
      return `Rated satisfaction ${action.score}/5`;
    case 'nps':
      return `Likely to recommend: ${action.score}/10`;
    case 'email':
      return `Left email ${action.email}`;
    default:
      return 'Pressed a button';
  }
}

const ATTEMPT_LABELS: Record<string, string> = {
  answered: 'Answered',
  clarified: 'Asked to clarify',
  fallback: 'Did not understand',
  feedback: 'Got feedback',
  escalation_offered: 'Offered a person',
  resolved_by_bot: 'Resolved by bot',
};

export function attemptLabel(a: BotAttempt): string {
  return ATTEMPT_LABELS[a.action] ?? a.action.replace(/_/g, ' ');
}

export function formatConfidence(c: number | undefined): string {
  return typeof c === 'number' && Number.isFinite(c) ? `${Math.round(c * 100)}%` : '—';
}

const REASONS: Record<string, string> = {
  customer_asked: 'The customer asked for a person',
  not_helpful: 'The customer said the answers did not help',
  repeated_misses: 'The bot failed to understand several times',
  low_confidence: 'The bot was not confident enough to answer',
};

export function reasonLabel(reason: string): string {
  return REASONS[reason] ?? reason.replace(/_/g, ' ');
}
