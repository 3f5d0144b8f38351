import { describe, expect, it } from 'vitest';
import { extractFeatures, MAX_INPUT_CHARS, normalize, words } from '../../bot/nlu/tokenize';
import { HOSTILE } from '../fixtures/nlu/hostile';


describe('tokenize', () => {
  it('lowercases, folds accents and keeps letters/digits of any script', () => {
    expect(words('Réinitialiser mon MOT-de-passe! What’s up 2day?')).toEqual(['reinitialiser', 'mon', 'mot', 'de', 'passe', 'whats', 'up', '2day']);
    expect(words('שלום עולם')).toEqual(['שלום', 'עולם']);
    expect(normalize('Ｆｕｌｌｗｉｄｔｈ')).toBe('fullwidth');
  });

  it('never throws and stays small on hostile input', () => {
    for (const text of HOSTILE) {
      expect(() => extractFeatures(text)).not.toThrow();
      expect(normalize(text).length).toBeLessThanOrEqual(MAX_INPUT_CHARS * 4);
    }
    expect(words('')).toEqual([]);
    expect(words('   ')).toEqual([]);
    expect(words('<img src=x onerror=alert(1)>')).toEqual(['img', 'src', 'x', 'onerror', 'alert', '1']);
    expect(words('title:foo ~2 ^3 *')).toEqual(['title', 'foo', '2', '3']);
    expect(normalize(undefined as unknown as string)).toBe('');
  });
});
