/**
 * Seeded sampling of training data, to measure the bot the way a real help centre uses it:
 * a handful of phrasings per topic (`--shots`), and topics customers ask about that the help
 * centre does not cover (`--holdout`).
 */
import { rng } from './random';
import type { TrainingExample } from './types';

/** Fisher–Yates on a copy, driven by `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** At most `shots` examples of every intent, chosen at random (seeded); order of intents kept. */
export function sampleShots(examples: readonly TrainingExample[], shots: number, seed: number): TrainingExample[] {
  const random = rng(seed);
  const byIntent = new Map<string, TrainingExample[]>();
  for (const e of examples) {
    const list = byIntent.get(e.intent);
    if (list) list.push(e);
    else byIntent.set(e.intent, [e]);
  }
  return [...byIntent.values()].flatMap((list) => shuffled(list, random).slice(0, shots));
}

/**
 * Intents left out of training: a share `fraction` of them (rounded, at least one when the
 * share is positive, never all), chosen at random (seeded, independent of the shots' seed).
 */
export function holdoutIntents(intents: readonly string[], fraction: number, seed: number): Set<string> {
  if (!(fraction > 0)) return new Set();
  const sorted = [...new Set(intents)].sort();
  const n = Math.min(sorted.length - 1, Math.max(1, Math.round(sorted.length * fraction)));
  return new Set(shuffled(sorted, rng(seed ^ 0x5bd1e995)).slice(0, n));
}

export interface Regime {
  /** Phrasings per intent kept for training (all when undefined). */
  shots?: number;
  /** Share of intents left out of training; their cases then count as out of scope. */
  holdout?: number;
  seed: number;
}

/**
 * Training examples and evaluation cases for one regime: sample the phrasings, drop the
 * held-out intents from training, and relabel their cases `outOfScopeLabel` — the help centre
 * does not cover them, so the honest answer is "I don't know".
 */
export function applyRegime<C extends { intent: string }>(
  examples: readonly TrainingExample[],
  cases: readonly C[],
  regime: Regime,
  outOfScopeLabel: string,
): { examples: TrainingExample[]; cases: C[]; heldOut: Set<string> } {
  const heldOut = holdoutIntents(
    examples.map((e) => e.intent),
    regime.holdout ?? 0,
    regime.seed,
  );
  const kept = examples.filter((e) => !heldOut.has(e.intent));
  return {
    examples: regime.shots === undefined ? kept : sampleShots(kept, regime.shots, regime.seed),
    cases: cases.map((c) => (heldOut.has(c.intent) ? { ...c, intent: outOfScopeLabel } : c)),
    heldOut,
  };
}
