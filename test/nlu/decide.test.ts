import { describe, expect, it } from 'vitest';
import { decide, decideOn } from '../../bot/nlu/decide';
import type { MatchThresholds } from '../../bot/thresholds';

const T: MatchThresholds = { answer: 0.6, clarify: 0.3, clarifyMargin: 0.15 };
const s = (intent: string, confidence: number) => ({ intent, confidence });

describe('decide', () => {
  it('answers when the top score reaches the answer threshold (inclusive)', () => {
    expect(decide([s('a', 0.6), s('b', 0.59)], T)).toEqual({ action: 'answer', intent: 'a', confidence: 0.6 });
    expect(decide([s('b', 0.1), s('a', 0.9)], T)).toEqual({ action: 'answer', intent: 'a', confidence: 0.9 });
  });

  it('clarifies with the top candidates within the margin, at most 3', () => {
    const d = decide([s('a', 0.5), s('b', 0.4), s('c', 0.36), s('d', 0.35), s('e', 0.1)], T);
    expect(d).toEqual({ action: 'clarify', options: [s('a', 0.5), s('b', 0.4), s('c', 0.36)] });
    expect(decide([s('a', 0.5), s('b', 0.2)], T)).toEqual({ action: 'clarify', options: [s('a', 0.5)] });
    expect(decide([s('a', 0.3)], T)).toEqual({ action: 'clarify', options: [s('a', 0.3)] });
  });

  it('falls back below the clarify threshold, on no candidates, and on NaN', () => {
    expect(decide([s('a', 0.29)], T)).toEqual({ action: 'fallback' });
    expect(decide([], T)).toEqual({ action: 'fallback' });
    expect(decide([s('a', Number.NaN)], T)).toEqual({ action: 'fallback' });
  });

  it('decideOn is generic over any candidate with a confidence', () => {
    const articles = [{ id: 'x', confidence: 0.45 }, { id: 'y', confidence: 0.4 }];
    expect(decideOn(articles, T)).toEqual({ action: 'clarify', options: articles });
    expect(decideOn(articles, { ...T, answer: 0.45 })).toEqual({ action: 'answer', best: articles[0] });
  });
});
