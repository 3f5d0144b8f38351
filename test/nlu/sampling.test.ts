import { describe, expect, it } from 'vitest';
import { applyRegime, holdoutIntents, sampleShots } from '../../bot/nlu/sampling';
import { evaluateClassifier } from '../../bot/nlu/evaluate';
import type { IntentClassifier } from '../../bot/nlu/types';
import { splitQuestion } from '../../bot/two-questions';
import { botText } from '../../bot/wording';

const examples = ['a', 'b', 'c', 'd'].flatMap((intent) => Array.from({ length: 20 }, (_, i) => ({ text: `${intent} ${i}`, intent })));

describe('realistic regime sampling', () => {
  it('keeps K phrasings per intent, the same for the same seed and different for another', () => {
    const s = sampleShots(examples, 5, 1);
    expect(s).toHaveLength(20);
    for (const intent of ['a', 'b', 'c', 'd']) expect(s.filter((e) => e.intent === intent)).toHaveLength(5);
    expect(sampleShots(examples, 5, 1)).toEqual(s);
    expect(sampleShots(examples, 5, 2)).not.toEqual(s);
  });

  it('holds out a share of intents (never all) and relabels their cases out of scope', () => {
    expect(holdoutIntents(['a', 'b', 'c', 'd'], 0.25, 1).size).toBe(1);
    expect(holdoutIntents(['a', 'b'], 0.99, 1).size).toBe(1);
    const { examples: train, cases, heldOut } = applyRegime(examples, [{ text: 'x', intent: 'a' }, { text: 'y', intent: 'b' }, { text: 'z', intent: 'c' }, { text: 'w', intent: 'd' }], { shots: 3, holdout: 0.5, seed: 7 }, 'oos');
    expect(heldOut.size).toBe(2);
    expect(train.some((e) => heldOut.has(e.intent))).toBe(false);
    expect(cases.filter((c) => c.intent === 'oos')).toHaveLength(2);
  });
});

describe('strict clarification scoring', () => {
  // One clarification whose first option is "x" (confidence between clarify and answer).
  const clf: IntentClassifier = { intents: ['x', 'y'], predict: () => [{ intent: 'x', confidence: 0.4 }, { intent: 'y', confidence: 0.35 }], toJSON: () => ({ format: 'f', version: 1 }) };
  const cases = [
    { text: 'q', intent: 'x' },
    { text: 'q', intent: 'y' },
    { text: 'q', intent: 'oos' },
  ];
  const T = { answer: 0.5, clarify: 0.3, clarifyMargin: 0.1 };

  it('counts a clarification as honest for out-of-scope and wrong for in-scope by default', () => {
    const r = evaluateClassifier(clf, cases, T);
    expect(r.metrics.oosRecall).toBe(1);
    expect(r.metrics.inScopeAccuracy).toBe(0);
  });

  it('with strictClarify: out-of-scope is not honest when options claim it; in-scope right only when first', () => {
    const r = evaluateClassifier(clf, cases, T, 0, { strictClarify: true });
    expect(r.metrics.oosRecall).toBe(0);
    expect(r.metrics.inScopeAccuracy).toBe(0.5);
    expect(r.calibration.find((b) => b.cases > 0)).toMatchObject({ from: 0.4, cases: 3, correct: 1 });
  });
});

describe('two questions in one message', () => {
  it('splits at joining words and sentence ends, never into one-word halves', () => {
    expect(splitQuestion('How do I change my email and also update my card?')).toContainEqual(['How do I change my email', 'update my card?']);
    expect(splitQuestion('Where is my invoice? Also how do I cancel')).toContainEqual(['Where is my invoice', 'Also how do I cancel']);
    expect(splitQuestion('salt and pepper')).toEqual([]);
  });
});

describe('bot wording', () => {
  it('has every reply in en, fr, de and es, falling back to English', () => {
    const en = botText('en');
    for (const lang of ['fr', 'de', 'es', 'de-CH']) {
      const t = botText(lang);
      for (const k of Object.keys(en) as (keyof typeof en)[]) {
        if (typeof en[k] === 'string') expect(t[k], `${lang}.${k}`).not.toBe(en[k]);
      }
    }
    expect(botText('it')).toBe(en);
    expect(botText(undefined)).toBe(en);
  });
});
