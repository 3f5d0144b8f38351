import type { Article } from '../knowledge/types';

/** Channels the engine serves; the value is stored with every conversation and reported in metrics. */
export type Channel = 'web' | 'slack' | 'msteams' | 'email';

/** Something the customer can press. Every channel renders these as buttons and sends them back unchanged. */
export type Action =
  | { kind: 'feedback'; helpful: boolean; articleId?: string; intent?: string }
  | { kind: 'choose'; candidate: CandidateRef }
  | { kind: 'handoff' }
  | { kind: 'ces'; score: number; comment?: string }
  | { kind: 'csat'; score: number }
  | { kind: 'nps'; score: number }
  | { kind: 'email'; email: string };

export interface CandidateRef {
  kind: 'article' | 'intent';
  id: string;
}

/** The one inbound shape every channel adapter produces. */
export interface InboundMessage {
  channel: Channel;
  conversationId: string;
  /** Free text typed by the customer (already stripped of @mentions by the adapter). */
  text?: string;
  /** A button press. */
  action?: Action;
  /**
   * Which follow-up surveys may be asked after this CES answer (the server decides: console
   * settings, once per customer in N days). Without it: CSAT as configured, no NPS.
   */
  surveys?: { csat: boolean; nps: boolean };
}

/** Structured replies the engine emits; each channel decides how to draw them. */
export type Reply =
  | { type: 'text'; text: string }
  | {
      type: 'article';
      articleId: string;
      title: string;
      summary: string;
      url: string;
      /** Show "Did this help?" buttons under the card. */
      askFeedback: boolean;
      intent?: string;
    }
  | { type: 'choices'; text: string; choices: Choice[] }
  | { type: 'ces'; question: string; scale: CesScale }
  /** Optional satisfaction question, asked after the CES answer: 1 (very dissatisfied) … 5 (very satisfied). */
  | { type: 'csat'; question: string; scale: typeof CSAT_SCALE }
  /** Optional Net Promoter question: 0 (not at all likely) … 10 (extremely likely). */
  | { type: 'nps'; question: string; scale: typeof NPS_MAX }
  | { type: 'email_request'; text: string };

export interface Choice {
  label: string;
  action: Action;
}

export type CesScale = 'seven-point' | 'three-choice';

/** CSAT is always 1–5; the number travels with the reply so channels need not hard-code it. */
export const CSAT_SCALE = 5;

export const isCsatScore = (score: unknown): score is number => Number.isInteger(score) && (score as number) >= 1 && (score as number) <= CSAT_SCALE;

/** NPS answers are 0–10. */
export const NPS_MAX = 10;

export const isNpsScore = (score: unknown): score is number => Number.isInteger(score) && (score as number) >= 0 && (score as number) <= NPS_MAX;

/** One ranked candidate from the matcher. */
export interface Candidate {
  ref: CandidateRef;
  /** Calibrated confidence in [0, 1]. */
  confidence: number;
  title: string;
  /** The intent behind the candidate, when the classifier found it. */
  intent?: string;
  article?: Article;
  response?: string;
  /** Which signal produced it, kept in the transcript so agents see why the bot answered. */
  source: 'classifier' | 'search';
}

export type MatchDecision =
  /** `also`: a second, distinct topic confidently found in the same message, answered after the first. */
  | { action: 'answer'; candidate: Candidate; candidates: Candidate[]; also?: Candidate }
  | { action: 'clarify'; candidates: Candidate[] }
  | { action: 'fallback'; candidates: Candidate[] };

/** Events the engine raises; the server turns them into tickets, log rows and metrics. */
export type BotEvent =
  | { type: 'answered'; ref: CandidateRef; confidence: number }
  | { type: 'clarified'; refs: CandidateRef[] }
  /** `language`: the message's language (BCP 47) when it is not the bot's own (English), for the ticket's tags. */
  | { type: 'fallback'; text: string; confidence: number; language?: string }
  | { type: 'feedback'; helpful: boolean; ref?: CandidateRef }
  | { type: 'resolved_by_bot'; ref?: CandidateRef }
  | { type: 'escalation_offered'; reason: EscalationReason; language?: string }
  | { type: 'escalate'; reason: EscalationReason; language?: string }
  | { type: 'ces'; score: number; comment?: string }
  | { type: 'csat'; score: number }
  | { type: 'nps'; score: number }
  /** A follow-up survey was put to the customer (the once-per-customer window counts these). */
  | { type: 'survey_asked'; survey: 'csat' | 'nps' }
  | { type: 'email_captured'; email: string };

export type EscalationReason = 'customer_asked' | 'not_helpful' | 'repeated_misses' | 'low_confidence' | 'unsupported_language';

/**
 * Rasa's name for examples of questions the assistant must not answer. Trained as a class of its
 * own (its share of the probability lowers every topic's confidence) and never answered or offered.
 */
export const OUT_OF_SCOPE_INTENT = 'out_of_scope';
