import { readFileSync } from 'node:fs';
import { DEFAULT_THRESHOLDS, type MatchThresholds } from '../thresholds';
import { trainClassifier, type ClassifierOptions } from './classifier';
import { decide } from './decide';
import type { IntentClassifier, TrainingExample } from './types';

/** Label of a case that must not be answered (out of scope). */
export const OOS_LABEL = 'oos';

export interface EvalCase {
  text: string;
  intent: string;
}

export interface EvalMetrics {
  /** In-scope cases answered (not clarified, not fallback) with the right intent / in-scope cases. */
  inScopeAccuracy: number;
  /** Out-of-scope cases NOT answered / out-of-scope cases. */
  oosRecall: number;
  /** Out-of-scope cases not answered / all cases not answered. */
  oosPrecision: number;
  /** Top-1 intent right among in-scope cases, thresholds ignored. */
  closedSetAccuracy: number;
  trainMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** One row of the calibration table: top-1 confidence in [from, to) → share of top-1 intents right. */
export interface CalibrationBucket {
  from: number;
  to: number;
  cases: number;
  /** Top-1 intent right (out-of-scope cases are never right): the confidence's promise, checked. */
  correct: number;
}

export interface EvalOptions {
  /**
   * Stricter scoring of clarifications: for an out-of-scope case a clarification is honest only if
   * none of its options claims the question with confidence (reaches the clarify threshold), and
   * for an in-scope case it is right when the right option is offered first.
   */
  strictClarify?: boolean;
}

export interface ConfusedPair {
  expected: string;
  predicted: string;
  count: number;
}

export interface EvalReport {
  metrics: EvalMetrics;
  thresholds: MatchThresholds;
  counts: {
    inScope: number;
    oos: number;
    answered: number;
    clarified: number;
    fallback: number;
    /** Cases whose intent is not one the classifier knows (always counted wrong). */
    unknownIntent: number;
  };
  /** Most frequent (expected → top-1 predicted) errors among in-scope cases, thresholds ignored. */
  confusions: ConfusedPair[];
  /** Top-1 confidence buckets of width 0.1 → share right; a calibrated model has share ≈ confidence. */
  calibration: CalibrationBucket[];
  strictClarify: boolean;
}

export class EvalInputError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'EvalInputError';
  }
}

/** Read JSONL cases `{"text": "...", "intent": "..."}`; blank lines are skipped. */
export function readCases(path: string): EvalCase[] {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    throw new EvalInputError(path, `cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseCases(source, path);
}

export function parseCases(source: string, file = '<input>'): EvalCase[] {
  const out: EvalCase[] = [];
  source.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new EvalInputError(file, `line ${i + 1} is not JSON`);
    }
    const o = v as Record<string, unknown>;
    if (typeof v !== 'object' || v === null || typeof o.text !== 'string' || typeof o.intent !== 'string') {
      throw new EvalInputError(file, `line ${i + 1} must be {"text": string, "intent": string}`);
    }
    out.push({ text: o.text, intent: o.intent });
  });
  return out;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/**
 * Score a trained classifier on cases at a fixed operating point.
 *
 * Scoring rules:
 * - an in-scope case is correct only if decide() answers with the expected intent; clarify and
 *   fallback count as wrong (the customer did not get the answer directly);
 * - an out-of-scope case (`intent: "oos"`) is recalled when the bot does NOT answer, i.e. the
 *   action is fallback OR clarify: clarifying only asks "did you mean…?", it does not assert a
 *   wrong answer, and the customer can still choose "none of these" and reach a human;
 * - oosPrecision = recalled out-of-scope cases / all cases not answered (clarify + fallback).
 *   With no case left unanswered it is 1 (nothing was wrongly withheld).
 * With `strictClarify` (see EvalOptions) a clarification is judged by what it offers.
 */
export function evaluateClassifier(
  classifier: IntentClassifier,
  cases: readonly EvalCase[],
  thresholds: MatchThresholds,
  trainMs = 0,
  options: EvalOptions = {},
): EvalReport {
  const strict = options.strictClarify === true;
  const buckets: CalibrationBucket[] = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, cases: 0, correct: 0 }));
  const known = new Set(classifier.intents);
  let inScope = 0;
  let oos = 0;
  let inScopeCorrect = 0;
  let closedCorrect = 0;
  let oosNotAnswered = 0;
  let notAnswered = 0;
  let answered = 0;
  let clarified = 0;
  let fallback = 0;
  let unknownIntent = 0;
  const times: number[] = [];
  const confusions = new Map<string, ConfusedPair>();
  // JIT warm-up (untimed, results discarded) so p50/p99 reflect a running server, not compilation.
  for (const c of cases.slice(0, 50)) classifier.predict(c.text, 3);
  for (const c of cases) {
    const t0 = process.hrtime.bigint();
    const scores = classifier.predict(c.text, 3);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const d = decide(scores, thresholds);
    if (d.action === 'answer') answered++;
    else if (d.action === 'clarify') clarified++;
    else fallback++;
    if (d.action !== 'answer') notAnswered++;
    const bucket = buckets[Math.min(9, Math.max(0, Math.floor((scores[0]?.confidence ?? 0) * 10)))]!;
    bucket.cases++;
    if (c.intent !== OOS_LABEL && scores[0]?.intent === c.intent) bucket.correct++;
    if (c.intent === OOS_LABEL) {
      oos++;
      const claimed = d.action === 'answer' || (strict && d.action === 'clarify' && d.options.some((o) => o.confidence >= thresholds.clarify));
      if (!claimed) oosNotAnswered++;
      continue;
    }
    inScope++;
    if (!known.has(c.intent)) unknownIntent++;
    const top = scores[0]?.intent;
    if (top === c.intent) closedCorrect++;
    else {
      const key = `${c.intent}\u0000${top ?? '(none)'}`;
      const pair = confusions.get(key) ?? { expected: c.intent, predicted: top ?? '(none)', count: 0 };
      pair.count++;
      confusions.set(key, pair);
    }
    if (d.action === 'answer' && d.intent === c.intent) inScopeCorrect++;
    else if (strict && d.action === 'clarify' && d.options[0]?.intent === c.intent) inScopeCorrect++;
  }
  times.sort((a, b) => a - b);
  const ratio = (a: number, b: number, empty: number): number => (b === 0 ? empty : a / b);
  return {
    metrics: {
      inScopeAccuracy: ratio(inScopeCorrect, inScope, 0),
      oosRecall: ratio(oosNotAnswered, oos, 0),
      oosPrecision: ratio(oosNotAnswered, notAnswered, 1),
      closedSetAccuracy: ratio(closedCorrect, inScope, 0),
      trainMs,
      p50Ms: quantile(times, 0.5),
      p99Ms: quantile(times, 0.99),
    },
    thresholds,
    counts: { inScope, oos, answered, clarified, fallback, unknownIntent },
    confusions: [...confusions.values()]
      .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected) || a.predicted.localeCompare(b.predicted))
      .slice(0, 10),
    calibration: buckets,
    strictClarify: strict,
  };
}

/** Train on `examples`, then score `cases` (the evaluation CLI without its I/O). */
export function evaluate(
  examples: readonly TrainingExample[],
  cases: readonly EvalCase[],
  thresholds: MatchThresholds = DEFAULT_THRESHOLDS,
  options: Partial<ClassifierOptions> = {},
  evalOptions: EvalOptions = {},
): EvalReport {
  const t0 = process.hrtime.bigint();
  const classifier = trainClassifier(examples, options);
  const trainMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return evaluateClassifier(classifier, cases, thresholds, trainMs, evalOptions);
}

/**
 * Operating point: DEFAULT_THRESHOLDS, each overridable by the same environment variables that
 * server/config.ts reads. Never derived from the evaluation cases.
 */
export function thresholdsFromEnv(env: NodeJS.ProcessEnv = process.env): MatchThresholds {
  const read = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const v = Number(raw);
    if (!Number.isFinite(v) || v < 0 || v > 1) throw new EvalInputError(name, `must be a number between 0 and 1, got ${JSON.stringify(raw)}`);
    return v;
  };
  return {
    answer: read('MATCH_ANSWER_THRESHOLD', DEFAULT_THRESHOLDS.answer),
    clarify: read('MATCH_CLARIFY_THRESHOLD', DEFAULT_THRESHOLDS.clarify),
    clarifyMargin: read('MATCH_CLARIFY_MARGIN', DEFAULT_THRESHOLDS.clarifyMargin),
  };
}

/** Human-readable report (the CLI prints this, then the metrics as one JSON line). */
export function formatReport(report: EvalReport): string {
  const m = report.metrics;
  const pct = (v: number): string => (v * 100).toFixed(1).padStart(6) + ' %';
  const ms = (v: number): string => v.toFixed(3).padStart(10) + ' ms';
  const t = report.thresholds;
  const c = report.counts;
  const lines = [
    `operating point: answer ≥ ${t.answer}, clarify ≥ ${t.clarify}, clarify margin ${t.clarifyMargin}` + (report.strictClarify ? ' (strict clarify)' : ''),
    `cases: ${c.inScope} in scope, ${c.oos} out of scope → ${c.answered} answered, ${c.clarified} clarified, ${c.fallback} fallback` +
      (c.unknownIntent > 0 ? ` (${c.unknownIntent} cases name an intent missing from training)` : ''),
    '',
    'metric               value',
    '-------------------  -------------',
    `inScopeAccuracy      ${pct(m.inScopeAccuracy)}`,
    `oosRecall            ${pct(m.oosRecall)}`,
    `oosPrecision         ${pct(m.oosPrecision)}`,
    `closedSetAccuracy    ${pct(m.closedSetAccuracy)}`,
    `trainMs              ${m.trainMs.toFixed(0).padStart(10)} ms`,
    `p50Ms                ${ms(m.p50Ms)}`,
    `p99Ms                ${ms(m.p99Ms)}`,
  ];
  lines.push('', formatCalibration(report.calibration));
  if (report.confusions.length > 0) {
    lines.push('', 'most confused (expected → predicted, top-1, thresholds ignored):');
    const w = Math.max(...report.confusions.map((p) => p.expected.length));
    for (const p of report.confusions) lines.push(`  ${String(p.count).padStart(4)}  ${p.expected.padEnd(w)} → ${p.predicted}`);
  }
  return lines.join('\n');
}

/** The calibration table: top-1 confidence bucket → cases and share whose top-1 intent is right. */
export function formatCalibration(buckets: readonly CalibrationBucket[]): string {
  const lines = ['confidence   cases   top-1 right', '-----------  ------  -----------'];
  for (const b of buckets) {
    if (b.cases === 0) continue;
    lines.push(`${b.from.toFixed(1)}–${b.to.toFixed(1)}     ${String(b.cases).padStart(6)}  ${((b.correct / b.cases) * 100).toFixed(1).padStart(9)} %`);
  }
  return lines.join('\n');
}
