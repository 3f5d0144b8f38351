import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClassifierFormatError, CLASSIFIER_FORMAT, CLASSIFIER_VERSION, loadClassifier, trainClassifier } from '../../bot/nlu/classifier';
import { toTrainingExamples } from '../../bot/nlu/training';
import { readRasaNlu } from '../../knowledge/rasa';
import type { IntentClassifier } from '../../bot/nlu/types';
import { DEFAULT_THRESHOLDS } from '../../bot/thresholds';
import { HOSTILE } from '../fixtures/nlu/hostile';

const FIXTURE = fileURLToPath(new URL('../fixtures/nlu/helpdesk.yml', import.meta.url));
const examples = toTrainingExamples(readRasaNlu(FIXTURE));

// Paraphrases that are not in the training file.
const UNSEEN: [string, string][] = [
  ['i lost my password and cannot log in', 'reset_password'],
  ['Réinitialiser password?', 'reset_password'],
  ['please end my subscription', 'cancel_subscription'],
  ['how do i unsubscribe', 'cancel_subscription'],
  ['is my refund on its way', 'refund_status'],
  ['I still have not received my money back', 'refund_status'],
  ['how long until my order is delivered', 'shipping_time'],
  ['track my package', 'shipping_time'],
  ['i need to update my payment card', 'update_billing'],
  ['change the billing card', 'update_billing'],
  ['I want to speak to a real human', 'talk_to_human'],
  ['connect me with support agent', 'talk_to_human'],
];

const UNRELATED = ['what is the capital of mongolia', 'play some jazz music', 'the quick brown fox jumps over the lazy dog', 'zxqv blorp'];

let clf: IntentClassifier;
beforeAll(() => {
  clf = trainClassifier(examples);
});

describe('intent classifier', () => {
  it('knows the fixture intents', () => {
    expect([...clf.intents].sort()).toEqual(['cancel_subscription', 'refund_status', 'reset_password', 'shipping_time', 'talk_to_human', 'update_billing']);
  });

  it('predicts the right intent for unseen paraphrases, confidently', () => {
    for (const [text, intent] of UNSEEN) {
      const [top] = clf.predict(text);
      expect(top?.intent, text).toBe(intent);
      expect(top!.confidence, text).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.answer);
    }
  });

  it('gives unrelated text a confidence below the answer threshold', () => {
    for (const text of UNRELATED) {
      const [top] = clf.predict(text);
      expect(top!.confidence, text).toBeLessThan(DEFAULT_THRESHOLDS.answer);
    }
  });

  it('returns top-k sorted scores in [0, 1]', () => {
    const scores = clf.predict('where is my refund', 4);
    expect(scores).toHaveLength(4);
    for (let i = 0; i < scores.length; i++) {
      expect(scores[i]!.confidence).toBeGreaterThanOrEqual(0);
      expect(scores[i]!.confidence).toBeLessThanOrEqual(1);
      if (i > 0) expect(scores[i]!.confidence).toBeLessThanOrEqual(scores[i - 1]!.confidence);
    }
    expect(new Set(scores.map((s) => s.intent)).size).toBe(4);
    expect(clf.predict('refund', 100)).toHaveLength(6);
    expect(clf.predict('refund', 0)).toHaveLength(1);
    expect(clf.predict('refund', Number.NaN)).toHaveLength(3);
  });

  it('is deterministic for a given seed', () => {
    const again = trainClassifier(examples);
    for (const [text] of UNSEEN) expect(again.predict(text, 6)).toEqual(clf.predict(text, 6));
  });

  it('never throws on hostile input', () => {
    for (const text of HOSTILE) {
      const scores = clf.predict(text);
      expect(scores.length).toBeGreaterThan(0);
      for (const s of scores) expect(Number.isFinite(s.confidence)).toBe(true);
    }
    expect(clf.predict(null as unknown as string)).toHaveLength(3);
  });

  it('rejects empty training data with a typed error', () => {
    expect(() => trainClassifier([])).toThrow(ClassifierFormatError);
  });
});

describe('save / load', () => {
  it('round-trips through JSON with identical predictions', () => {
    const snapshot = JSON.parse(JSON.stringify(clf.toJSON()));
    expect(snapshot.format).toBe(CLASSIFIER_FORMAT);
    expect(snapshot.version).toBe(CLASSIFIER_VERSION);
    const loaded = loadClassifier(snapshot);
    expect(loaded.intents).toEqual(clf.intents);
    for (const text of [...UNSEEN.map(([t]) => t), ...UNRELATED, ...HOSTILE]) {
      expect(loaded.predict(text, 6)).toEqual(clf.predict(text, 6));
    }
  });

  it('refuses a wrong version or format with a typed error', () => {
    const snapshot = clf.toJSON();
    const wrongVersion = () => loadClassifier({ ...snapshot, version: CLASSIFIER_VERSION + 1 });
    expect(wrongVersion).toThrow(ClassifierFormatError);
    expect(wrongVersion).toThrow(new RegExp(`version ${CLASSIFIER_VERSION + 1} is not supported`));
    try {
      wrongVersion();
    } catch (err) {
      expect((err as ClassifierFormatError).code).toBe('wrong_version');
    }
    expect(() => loadClassifier({ ...snapshot, format: 'something-else' })).toThrow(/not an intent classifier snapshot/);
    expect(() => loadClassifier({ ...snapshot, weights: 'AAAA' })).toThrow(/"weights" has 0.75 values|"weights" has/);
    expect(() => loadClassifier({ ...snapshot, intents: 'x' })).toThrow(ClassifierFormatError);
  });
});
