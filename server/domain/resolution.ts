/**
 * How a conversation ended, defined once. The idle-close job, the SQL roll-up, the dashboard
 * tiles, their "what does this mean" panels and the README all use these words; nothing else
 * defines them. (Pure data: the console bundles this file too.)
 */

export const OUTCOMES = ['confirmed', 'assumed', 'escalated', 'abandoned', 'open'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Days after a conversation in which a repeat contact means it was not resolved at first contact. */
export const FCR_WINDOW_DAYS = 7;

/** The event an idle bot conversation is closed with (once; see server/metrics/idle-close.ts). */
export const AUTO_CLOSED_EVENT = 'auto_closed';

/** Event types that record what the bot did in a turn; the newest one says whether it had answered. */
export const BOT_RECORD_EVENTS = ['bot_answered', 'bot_clarified', 'bot_fallback', 'bot_feedback', 'escalation_offered'] as const;

export interface Definition {
  label: string;
  /** One or two sentences a team lead can read next to the number. */
  text: string;
}

/**
 * Every figure the dashboard shows, with its definition. Keys are also the drill-down names
 * (`GET /api/metrics/conversations?figure=<key>`), so a number and the list behind it agree.
 */
export const DEFINITIONS = {
  conversations: { label: 'Conversations', text: 'Conversations started in the range (the customer sent a first message), in every state.' },
  confirmed: { label: 'Confirmed resolutions', text: 'The bot answered and the customer said the answer helped ("Yes, this helped"). No person took part.' },
  assumed: {
    label: 'Assumed resolutions',
    text: 'The bot answered and the customer neither asked for more nor came back within BOT_IDLE_RESOLVE_MINUTES (default 30); the conversation was then closed as resolved by the bot. No person took part.',
  },
  escalated: { label: 'Escalated', text: 'A person took over: the conversation was handed to the human queue (whatever happened next).' },
  abandoned: { label: 'Abandoned', text: 'The customer left without any answer: the bot had not answered (it asked to rephrase, offered choices or a person) and nobody took over before the idle time ran out.' },
  open: { label: 'Still open', text: 'Started but not yet in one of the four end states: the bot is still talking, or the idle time has not run out.' },
  selfService: { label: 'Self-service rate', text: '(Confirmed + assumed resolutions) / conversations. Both parts are shown next to it.' },
  escalationRate: { label: 'Escalation rate', text: 'Escalated conversations / conversations.' },
  fcr: {
    label: 'First-contact resolution',
    text: `Resolved conversations (confirmed, assumed, or resolved by an agent) that were not reopened, not followed within ${FCR_WINDOW_DAYS} days by another conversation of the same customer on the same topic (same article or intent, or either without one), and not followed within ${FCR_WINDOW_DAYS} days by one in another channel (a channel switch) — divided by resolved conversations. The customer is recognised across channels by email.`,
  },
  fcrReopened: { label: 'Reopened', text: 'Resolved conversations an agent reopened: not resolved at first contact.' },
  fcrRepeat: { label: 'Came back on the same topic', text: `Resolved conversations followed within ${FCR_WINDOW_DAYS} days by another conversation of the same customer on the same topic.` },
  fcrSwitch: { label: 'Switched channel', text: `Resolved conversations followed within ${FCR_WINDOW_DAYS} days by a conversation of the same customer in another channel.` },
  ces: { label: 'Customer effort (CES)', text: 'Answers to "How easy was it to get your issue resolved?" (1 = very difficult … 7 = very easy; easy/neutral/difficult count as 7/4/1), asked after every resolution, for conversations started in the range.' },
  csat: { label: 'Satisfaction (CSAT)', text: 'Answers to "How satisfied are you with the help you received?" (1–5); satisfied = 4 or 5. Asked after the CES answer when switched on.' },
  nps: { label: 'Net Promoter Score', text: 'Answers to "How likely are you to recommend us to a friend or colleague?" (0–10). NPS = % promoters (9–10) − % detractors (0–6), from −100 to 100.' },
  firstResponse: { label: 'First response', text: 'From the hand-over to the first reply of a person, over escalated conversations started in the range (median and 90th percentile).' },
  resolution: { label: 'Resolution time', text: 'From the hand-over to the ticket being resolved (median and 90th percentile).' },
  slaBreaches: { label: 'SLA breaches', text: 'Escalated conversations whose first reply came after its due time (SLA_FIRST_RESPONSE_MINUTES), or is still missing after it.' },
} as const satisfies Record<string, Definition>;

export type FigureKey = keyof typeof DEFINITIONS;

/** Figures whose conversations can be listed (drill-down). */
export const DRILL_FIGURES = [
  'conversations',
  'confirmed',
  'assumed',
  'escalated',
  'abandoned',
  'open',
  'selfService',
  'fcr',
  'fcrReopened',
  'fcrRepeat',
  'fcrSwitch',
  'ces',
  'csat',
  'nps',
  'firstResponse',
  'resolution',
  'slaBreaches',
] as const satisfies readonly FigureKey[];
export type DrillFigure = (typeof DRILL_FIGURES)[number];

export const isDrillFigure = (value: string): value is DrillFigure => (DRILL_FIGURES as readonly string[]).includes(value);

/** NPS from answer counts: % promoters (9–10) − % detractors (0–6); null without answers. */
export function netPromoterScore(promoters: number, detractors: number, answers: number): number | null {
  return answers === 0 ? null : Math.round(((promoters - detractors) / answers) * 1000) / 10;
}
