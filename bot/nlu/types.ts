export interface TrainingExample {
  text: string;
  intent: string;
}

export interface IntentScore {
  intent: string;
  /** Calibrated confidence in [0, 1]; scores of one prediction need not sum to 1. */
  confidence: number;
}

export interface IntentClassifier {
  readonly intents: readonly string[];
  /** Top-k intents, best first. Never throws, whatever the text. */
  predict(text: string, k?: number): IntentScore[];
  /** JSON-safe snapshot; `loadClassifier(snapshot)` restores an identical model. */
  toJSON(): SerializedClassifier;
}

export interface SerializedClassifier {
  format: string;
  version: number;
  [key: string]: unknown;
}
