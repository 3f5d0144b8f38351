import type { MatchThresholds } from '../thresholds';
import type { IntentScore } from './types';

/** Most candidates offered when the bot asks "did you mean…". */
export const MAX_CLARIFY_OPTIONS = 3;

export type Decision<T> =
  | { action: 'answer'; best: T }
  | { action: 'clarify'; options: T[] }
  | { action: 'fallback' };

export type IntentDecision =
  | { action: 'answer'; intent: string; confidence: number }
  | { action: 'clarify'; options: IntentScore[] }
  | { action: 'fallback' };

function finiteConfidence(x: { confidence: number }): number {
  return Number.isFinite(x.confidence) ? x.confidence : 0;
}

/**
 * The one operating rule, for any ranked candidates (intents, articles…):
 * - top confidence ≥ `answer` → answer with the top candidate;
 * - top confidence ≥ `clarify` → offer the top candidate plus the next ones whose confidence is
 *   within `clarifyMargin` of it and itself at least `clarify`, at most MAX_CLARIFY_OPTIONS (only
 *   the top one if none is close: "did you mean X?");
 * - otherwise → fallback (hand over / say we don't know).
 * Candidates are re-sorted by confidence, so callers need not pre-sort; NaN counts as 0.
 */
export function decideOn<T extends { confidence: number }>(ranked: readonly T[], thresholds: MatchThresholds): Decision<T> {
  if (ranked.length === 0) return { action: 'fallback' };
  const sorted = [...ranked].sort((a, b) => finiteConfidence(b) - finiteConfidence(a));
  const top = sorted[0]!;
  const best = finiteConfidence(top);
  if (best >= thresholds.answer) return { action: 'answer', best: top };
  if (best >= thresholds.clarify) {
    const options: T[] = [top];
    for (let i = 1; i < sorted.length && options.length < MAX_CLARIFY_OPTIONS; i++) {
      const c = sorted[i]!;
      if (best - finiteConfidence(c) <= thresholds.clarifyMargin && finiteConfidence(c) >= thresholds.clarify) options.push(c);
      else break;
    }
    return { action: 'clarify', options };
  }
  return { action: 'fallback' };
}

/** `decideOn` for intent scores, in the shape the bot engine consumes. */
export function decide(scores: readonly IntentScore[], thresholds: MatchThresholds): IntentDecision {
  const d = decideOn(scores, thresholds);
  if (d.action === 'answer') return { action: 'answer', intent: d.best.intent, confidence: d.best.confidence };
  return d;
}
