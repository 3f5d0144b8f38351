/**
 * Operating point of the matcher. Tuned on CLINC150 train/val (never the test split);
 * server/config.ts lets a deployment override each value from the environment.
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
  answer: 0.5,
  clarify: 0.25,
  clarifyMargin: 0.15,
};
