/**
 * Operating point of the matcher. Tuned on CLINC150 train/val (never the test split);
 * server/config.ts lets a deployment override each value from the environment.
 *
 * Confidences from bot/nlu/classifier.ts are chance-corrected softmax probabilities (temperature
 * 1.2) × √(similarity to the intent's closest phrasing). answer = 0.18 keeps full-data CLINC150 val
 * at ~93% in-scope while ~71% of out-of-scope questions are not answered; the same threshold holds
 * from 6 to 150 intents and from 5 to 150 phrasings per intent (README, "Honest answers with a
 * small help centre"). Raise it to answer less often but more surely (0.25: about −4.6 pts
 * in-scope, +4.3 pts out-of-scope recall at 10 phrasings per intent).
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
