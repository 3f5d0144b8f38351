import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../bot/nlu/eval-cli';
import { evaluate, evaluateClassifier, formatReport, parseCases, readCases, thresholdsFromEnv } from '../../bot/nlu/evaluate';
import { toTrainingExamples } from '../../bot/nlu/training';
import { readRasaNlu } from '../../knowledge/rasa';
import type { IntentClassifier } from '../../bot/nlu/types';
import { DEFAULT_THRESHOLDS } from '../../bot/thresholds';

const TRAIN = fileURLToPath(new URL('../fixtures/nlu/helpdesk.yml', import.meta.url));
const CASES = fileURLToPath(new URL('../fixtures/nlu/helpdesk-cases.jsonl', import.meta.url));
const KEYS = ['inScopeAccuracy', 'oosRecall', 'oosPrecision', 'closedSetAccuracy', 'trainMs', 'p50Ms', 'p99Ms'];

describe('evaluate', () => {
  it('trains on the fixture and reports every metric as a number', () => {
    const report = evaluate(toTrainingExamples(readRasaNlu(TRAIN)), readCases(CASES), DEFAULT_THRESHOLDS);
    expect(Object.keys(report.metrics).sort()).toEqual([...KEYS].sort());
    for (const k of KEYS) expect(typeof report.metrics[k as keyof typeof report.metrics]).toBe('number');
    for (const k of ['inScopeAccuracy', 'oosRecall', 'oosPrecision', 'closedSetAccuracy'] as const) {
      expect(report.metrics[k]).toBeGreaterThanOrEqual(0);
      expect(report.metrics[k]).toBeLessThanOrEqual(1);
    }
    expect(report.counts.inScope).toBe(6);
    expect(report.counts.oos).toBe(2);
    expect(report.metrics.closedSetAccuracy).toBe(1);
    expect(formatReport(report)).toContain('inScopeAccuracy');
  });

  it('scores by the documented rule: answer-right only; oos recalled when not answered', () => {
    const fixed: Record<string, { intent: string; confidence: number }[]> = {
      a: [{ intent: 'x', confidence: 0.9 }],
      b: [{ intent: 'x', confidence: 0.4 }], // clarify
      c: [{ intent: 'y', confidence: 0.1 }], // fallback
      d: [{ intent: 'x', confidence: 0.9 }], // oos answered
    };
    const clf: IntentClassifier = { intents: ['x', 'y'], predict: (t) => fixed[t]!, toJSON: () => ({ format: 'f', version: 1 }) };
    const r = evaluateClassifier(clf, [
      { text: 'a', intent: 'x' },
      { text: 'b', intent: 'x' },
      { text: 'c', intent: 'oos' },
      { text: 'b', intent: 'oos' },
      { text: 'd', intent: 'oos' },
    ], { answer: 0.5, clarify: 0.3, clarifyMargin: 0.1 });
    expect(r.metrics.inScopeAccuracy).toBe(0.5);
    expect(r.metrics.closedSetAccuracy).toBe(1);
    expect(r.metrics.oosRecall).toBeCloseTo(2 / 3);
    expect(r.metrics.oosPrecision).toBeCloseTo(2 / 3);
  });

  it('reads thresholds from the environment, defaulting to DEFAULT_THRESHOLDS', () => {
    expect(thresholdsFromEnv({})).toEqual(DEFAULT_THRESHOLDS);
    expect(thresholdsFromEnv({ MATCH_ANSWER_THRESHOLD: '0.7', MATCH_CLARIFY_THRESHOLD: '0.2', MATCH_CLARIFY_MARGIN: '0.05' })).toEqual({
      answer: 0.7,
      clarify: 0.2,
      clarifyMargin: 0.05,
    });
    expect(() => thresholdsFromEnv({ MATCH_ANSWER_THRESHOLD: 'high' })).toThrow(/MATCH_ANSWER_THRESHOLD/);
  });

  it('rejects malformed case lines with the line number', () => {
    expect(() => parseCases('{"text":"a","intent":"b"}\nnot json', 'c.jsonl')).toThrow(/c\.jsonl: line 2 is not JSON/);
    expect(() => parseCases('{"text":1,"intent":"b"}', 'c.jsonl')).toThrow(/line 1 must be/);
  });
});

describe('eval CLI', () => {
  it('prints the JSON metrics as the last line', () => {
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    try {
      expect(main(['--train', TRAIN, '--cases', CASES])).toBe(0);
    } finally {
      log.mockRestore();
    }
    const last = out.join('\n').trimEnd().split('\n').at(-1)!;
    expect(Object.keys(JSON.parse(last))).toEqual(KEYS);
  });

  it('runs the realistic regime: --shots, --holdout, --seed, --runs, --strict-clarify, with a calibration table', () => {
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    try {
      expect(main(['--train', TRAIN, '--cases', CASES, '--shots', '4', '--holdout', '0.2', '--seed', '3', '--runs', '2', '--strict-clarify'])).toBe(0);
    } finally {
      log.mockRestore();
    }
    const text = out.join('\n');
    expect(text).toMatch(/run 1\/2: seed 3, 20 phrasings, 5 intents trained, 1 held out/);
    expect(text).toMatch(/run 2\/2: seed 4/);
    expect(text).toContain('(strict clarify)');
    expect(text).toMatch(/confidence +cases +top-1 right/);
    expect(text).toContain('mean over 2 runs');
    expect(Object.keys(JSON.parse(text.trimEnd().split('\n').at(-1)!))).toEqual(KEYS);
  });

  it('bad arguments → usage and exit code 2', () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(main([])).toBe(2);
      expect(main(['--train', TRAIN])).toBe(2);
      expect(main(['--bogus'])).toBe(2);
      expect(main(['--train', TRAIN, '--cases', CASES, '--shots', '0'])).toBe(2);
      expect(main(['--train', TRAIN, '--cases', CASES, '--holdout', '1'])).toBe(2);
      expect(err.mock.calls.at(-1)![0]).toMatch(/usage: npm run eval/);
      expect(main(['--train', '/nonexistent.yml', '--cases', CASES])).toBe(1);
    } finally {
      err.mockRestore();
    }
  });
});
