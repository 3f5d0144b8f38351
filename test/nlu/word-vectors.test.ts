import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { trainClassifier } from '../../bot/nlu/classifier';
import { extractFeatures } from '../../bot/nlu/tokenize';
import { parseWordVectors, sentenceVector, wordVectors, WordVectorsError } from '../../bot/nlu/word-vectors';

const cosine = (a: Float32Array, b: Float32Array) => {
  let ab = 0, aa = 0, bb = 0;
  for (let d = 0; d < a.length; d++) {
    ab += a[d]! * b[d]!;
    aa += a[d]! * a[d]!;
    bb += b[d]! * b[d]!;
  }
  return ab / Math.sqrt(aa * bb);
};
const vectorOf = (text: string) => sentenceVector(extractFeatures(text).word, wordVectors());

describe('word vectors', () => {
  it('ships 50,000 words × 128 dimensions', () => {
    const v = wordVectors();
    expect(v.index.size).toBe(50_000);
    expect(v.dims).toBe(128);
    expect(v.index.has('password')).toBe(true);
    expect(v.index.has('purchase')).toBe(true);
  });

  it('puts related words closer than unrelated ones', () => {
    const buy = vectorOf('buy')!;
    expect(cosine(buy, vectorOf('purchase')!)).toBeGreaterThan(cosine(buy, vectorOf('password')!) + 0.2);
    expect(cosine(vectorOf('cancel my subscription')!, vectorOf('terminate my membership')!)).toBeGreaterThan(cosine(vectorOf('cancel my subscription')!, vectorOf('track my parcel')!));
  });

  it('has no vector for text without a known word', () => {
    expect(vectorOf('zxqv blorp')).toBeNull();
    expect(vectorOf('')).toBeNull();
  });

  it('rejects a file that is not what its header says', () => {
    const file = new URL('../../bot/nlu/word-vectors.bin', import.meta.url);
    expect(() => parseWordVectors(Buffer.from('not gzip'))).toThrow(WordVectorsError);
    expect(() => parseWordVectors(gzipSync(Buffer.from('XYZ 1 2 3\nabc')))).toThrow(/unknown header/);
    expect(() => parseWordVectors(gzipSync(Buffer.from('AWV1 2 3 5\nab\ncd' + 'x'.repeat(13))))).toThrow(/size does not match/);
    expect(parseWordVectors(readFileSync(file)).index.get('the')).toBe(0);
  });

  it('lets the classifier relate a word no training phrasing used', () => {
    const examples = [
      ...['how do i buy a plan', 'i want to buy the pro plan', 'buy a subscription'].map((text) => ({ text, intent: 'buy_plan' })),
      ...['reset my password', 'i forgot my password', 'password reset link'].map((text) => ({ text, intent: 'reset_password' })),
      ...['where is my parcel', 'track my delivery', 'when will my order arrive'].map((text) => ({ text, intent: 'track_order' })),
    ];
    const query = 'purchasing';
    expect(trainClassifier(examples).predict(query)[0]?.intent).toBe('buy_plan');
    expect(trainClassifier(examples, { vectorShare: 0 }).predict(query)[0]?.intent).not.toBe('buy_plan');
  });
});
