import type { Action, CesScale, Reply } from './types';

/**
 * What the customer reads for survey answers and conversation events, the same in every
 * channel (widget, Slack, Teams). Pure: the widget bundles it too.
 */

export interface ScoreOption {
  score: number;
  /** On the button. */
  text: string;
  /** What the answer reads as in the transcript ("6 out of 7"). */
  label: string;
  /** The button's accessible name. */
  name: string;
}

/**
 * CES answers. The seven-point scale is 1 (very difficult) … 7 (very easy); the three-choice
 * variant maps Easy / Neutral / Difficult onto the same scale as 7 / 4 / 1, so both variants
 * report comparable scores.
 */
export function cesOptions(scale: CesScale): ScoreOption[] {
  if (scale === 'three-choice') {
    return (
      [
        [7, 'Easy'],
        [4, 'Neutral'],
        [1, 'Difficult'],
      ] as const
    ).map(([score, text]) => ({ score, text, label: text, name: text }));
  }
  return [1, 2, 3, 4, 5, 6, 7].map((n) => ({ score: n, text: String(n), label: `${n} out of 7`, name: n === 1 ? '1, very difficult' : n === 7 ? '7, very easy' : String(n) }));
}

export const CES_HINT = '1 = very difficult, 7 = very easy';

/** CSAT answers 1 (very dissatisfied) … `points` (very satisfied). */
export function csatOptions(points: number): ScoreOption[] {
  return Array.from({ length: points }, (_, i) => {
    const n = i + 1;
    return { score: n, text: String(n), label: `${n} out of ${points}`, name: n === 1 ? '1, very dissatisfied' : n === points ? `${n}, very satisfied` : String(n) };
  });
}

export const csatHint = (points: number) => `1 = very dissatisfied, ${points} = very satisfied`;

export type ConversationEvent = 'escalated' | 'assigned' | 'resolved' | 'reopened';

/** The line a conversation event shows the customer. */
export function eventText(event: ConversationEvent, agentName?: string): string {
  switch (event) {
    case 'escalated':
      return "You're in the queue. A person will be with you soon.";
    case 'assigned':
      return `${agentName ?? 'An agent'} joined the conversation`;
    case 'resolved':
      return 'Conversation resolved';
    case 'reopened':
      return 'Conversation reopened';
    default:
      return '';
  }
}

export interface AnswerButton {
  text: string;
  /** What the press reads as in the transcript. */
  label: string;
  action: Action;
  positive?: boolean;
}

/** The buttons under an answer that asks "Did this help?" (chat channels; the widget has its own Yes/No). */
export function answerButtons(reply: Extract<Reply, { type: 'article' }>): AnswerButton[] {
  const feedback = (helpful: boolean): Action => ({ kind: 'feedback', helpful, articleId: reply.articleId, ...(reply.intent ? { intent: reply.intent } : {}) });
  return [
    { text: 'This helped', label: 'Yes, this helped', action: feedback(true), positive: true },
    { text: "Didn't help", label: "No, this didn't help", action: feedback(false) },
    { text: 'Talk to a person', label: 'Talk to a person', action: { kind: 'handoff' } },
  ];
}
