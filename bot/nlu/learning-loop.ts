/**
 * The learning loop, simulated on labelled data (`npm run eval -- --learning-loop …`).
 *
 * Start: K phrasings per intent. Half of the cases stream in as customer questions, in batches;
 * what the bot misses reaches the "Improve the bot" inbox as real traffic would put it there:
 * a fallback, a clarification whose options miss the right intent (nobody picks one), and an
 * answer that is wrong (the customer says it did not help — we assume every wrong answer is
 * flagged). After each batch the inbox is grouped by wording (the product's grouping) and a
 * simulated reviewer acts on each group as the UI lets them: one action for the whole group,
 * decided by what most of its questions really are —
 *   out of scope           → "mark as out of scope" (1 click);
 *   the matcher's guess    → "add as a phrasing", guess pre-selected (1 click);
 *   another intent         → choose it in the list, then add (2 clicks).
 * The classifier is retrained with the new phrasings and out-of-scope examples (as a publish
 * does), and the other half of the cases is scored before and after.
 */
import { groupByWording } from '../../knowledge/grouping';
import type { MatchThresholds } from '../thresholds';
import { OUT_OF_SCOPE_INTENT } from '../types';
import { trainClassifier } from './classifier';
import { decide } from './decide';
import { type EvalCase, OOS_LABEL } from './evaluate';
import { rng } from './random';
import { sampleShots, shuffled } from './sampling';
import type { IntentClassifier, IntentScore, TrainingExample } from './types';

export interface LoopOptions {
  shots: number;
  seed: number;
  batches: number;
}

export interface LoopScore {
  inScopeAccuracy: number;
  oosRecall: number;
}

export interface LoopReport {
  before: LoopScore;
  after: LoopScore;
  streamed: number;
  scored: number;
  inboxItems: number;
  groups: number;
  clicks: number;
  phrasingsAdded: number;
  oosAdded: number;
  /** Items whose group was filed under another label than their own (the cost of grouping). */
  misfiled: number;
  trainMs: number;
}

/** The bot's view: the out-of-scope class is never an answer, only a competitor. */
function topics(classifier: IntentClassifier, text: string): IntentScore[] {
  return classifier.predict(text, 4).filter((s) => s.intent !== OUT_OF_SCOPE_INTENT);
}

export function score(classifier: IntentClassifier, cases: readonly EvalCase[], thresholds: MatchThresholds): LoopScore {
  let inScope = 0;
  let right = 0;
  let oos = 0;
  let held = 0;
  for (const c of cases) {
    const d = decide(topics(classifier, c.text), thresholds);
    if (c.intent === OOS_LABEL) {
      oos++;
      if (d.action !== 'answer') held++;
    } else {
      inScope++;
      if (d.action === 'answer' && d.intent === c.intent) right++;
    }
  }
  return { inScopeAccuracy: inScope ? right / inScope : 0, oosRecall: oos ? held / oos : 0 };
}

interface Miss {
  text: string;
  label: string;
  /** The intent the bot answered wrongly with, never the reviewer's pre-selected guess. */
  wrong?: string;
}

export function runLearningLoop(all: readonly TrainingExample[], cases: readonly EvalCase[], thresholds: MatchThresholds, o: LoopOptions): LoopReport {
  const training = sampleShots(all, o.shots, o.seed);
  const mixed = shuffled(cases, rng(o.seed * 7919 + 1));
  const stream = mixed.filter((_, i) => i % 2 === 0);
  const held = mixed.filter((_, i) => i % 2 === 1);
  let trainMs = 0;
  const train = (examples: readonly TrainingExample[]) => {
    const t0 = performance.now();
    const c = trainClassifier(examples);
    trainMs += performance.now() - t0;
    return c;
  };
  let classifier = train(training);
  const before = score(classifier, held, thresholds);
  const learned: TrainingExample[] = [...training];
  let inboxItems = 0;
  let groups = 0;
  let clicks = 0;
  let phrasingsAdded = 0;
  let oosAdded = 0;
  let misfiled = 0;
  const size = Math.ceil(stream.length / o.batches);
  for (let b = 0; b < o.batches; b++) {
    const misses: Miss[] = [];
    for (const c of stream.slice(b * size, (b + 1) * size)) {
      const scores = topics(classifier, c.text);
      const d = decide(scores, thresholds);
      if (d.action === 'answer') {
        if (d.intent !== c.intent) misses.push({ text: c.text, label: c.intent, wrong: d.intent }); // "didn't help"
      } else if (d.action === 'clarify') {
        if (!d.options.some((x) => x.intent === c.intent)) misses.push({ text: c.text, label: c.intent }); // none picked
      } else misses.push({ text: c.text, label: c.intent }); // fallback
    }
    inboxItems += misses.length;
    for (const g of groupByWording(misses, (m) => m.text)) {
      groups++;
      const counts = new Map<string, number>();
      for (const m of g.items) counts.set(m.label, (counts.get(m.label) ?? 0) + 1);
      const label = [...counts.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]![0];
      misfiled += g.items.filter((m) => m.label !== label).length;
      const texts = g.items.map((m) => m.text);
      if (label === OOS_LABEL) {
        clicks += 1;
        learned.push(...texts.map((text) => ({ text, intent: OUT_OF_SCOPE_INTENT })));
        oosAdded += texts.length;
        continue;
      }
      const wrong = new Set(g.items.map((m) => m.wrong));
      const guess = topics(classifier, g.items[0]!.text).find((s) => !wrong.has(s.intent))?.intent;
      clicks += guess === label ? 1 : 2;
      learned.push(...texts.map((text) => ({ text, intent: label })));
      phrasingsAdded += texts.length;
    }
    classifier = train(learned);
  }
  return { before, after: score(classifier, held, thresholds), streamed: stream.length, scored: held.length, inboxItems, groups, clicks, phrasingsAdded, oosAdded, misfiled, trainMs };
}

export function formatLoop(r: LoopReport, o: LoopOptions): string {
  const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
  return [
    `learning loop: ${o.shots} phrasings per intent to start, seed ${o.seed}; ${r.streamed} questions streamed through the inbox in ${o.batches} batches, ${r.scored} held-out questions scored`,
    '',
    '| metric | before | after |',
    '| --- | ---: | ---: |',
    `| in-scope accuracy | ${pct(r.before.inScopeAccuracy)} | ${pct(r.after.inScopeAccuracy)} |`,
    `| out-of-scope recall | ${pct(r.before.oosRecall)} | ${pct(r.after.oosRecall)} |`,
    '',
    `inbox: ${r.inboxItems} misses in ${r.groups} groups; reviewer clicks: ${r.clicks} (${(r.clicks / Math.max(1, r.inboxItems)).toFixed(2)} per miss); phrasings added: ${r.phrasingsAdded}; out-of-scope examples: ${r.oosAdded}; filed under another label by grouping: ${r.misfiled}`,
    `training time, all retrainings: ${(r.trainMs / 1000).toFixed(1)} s`,
  ].join('\n');
}
