/**
 * Operating point of the matcher. Tuned on CLINC150 train/val (never the test split);
 * server/config.ts lets a deployment override each value from the environment.
 *
 * Confidences from bot/nlu/classifier.ts are chance-corrected softmax probabilities. answer = 0.3 is the point
 * where, on CLINC150 val + oos_val, ~93% of in-scope questions are answered right while ~60% of
 * out-of-scope ones are not answered; a 20-intent × 10-example subsample behaves alike
 * (~92% / ~73%). Raise it to answer less often but more surely.
 */
export interface MatchThresholds {
  /** Top confidence at or above which the bot answers directly. */
  answer: number;
  /** Below `answer` but at or above this, the bot offers the top candidates to choose from. */
  clarify: number;
  /** Candidates within this confidence of the top one are offered together when clarifying. */
  clarifyMargin: number;
}

export const DEFAULT_THRESHOLDS: MatchThresholds = {
  answer: 0.18,
  clarify: 0.1,
  clarifyMargin: 0.15,
};
