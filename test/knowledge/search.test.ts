import { describe, expect, it } from 'vitest';
import { KnowledgeError } from '../../knowledge/errors';
import { loadKnowledgeBase } from '../../knowledge/load';
import { ArticleSearch, SEARCH_FORMAT_VERSION } from '../../knowledge/search-index';
import { FIXTURE_KB_DIR } from '../support/fixtures';

const kb = loadKnowledgeBase(FIXTURE_KB_DIR);
const search = ArticleSearch.fromArticles(kb.articles);
const top = (q: string, s = search) => s.search(q)[0]?.articleId;

describe('article search', () => {
  it('ranks by title, tags and body', () => {
    expect(top('reset password')).toBe('reset-password');
    expect(top('cancel my subscription')).toBe('cancel-subscription');
    expect(top('refund')).toBe('refund-policy');
    expect(top('API token')).toBe('api-tokens');
  });

  it('folds accents on both sides', () => {
    expect(top('réinitialiser')).toBe('reinitialiser-mot-de-passe');
    expect(top('reinitialiser')).toBe('reinitialiser-mot-de-passe');
    expect(top('RÉINITIALISER MOT DE PASSE')).toBe('reinitialiser-mot-de-passe');
  });

  it('tolerates typos: edit distance for unknown words, fuse on titles as a last resort', () => {
    expect(top('pasword')).toBe('reset-password');
    expect(top('subscriptoin')).toBe('cancel-subscription');
    expect(search.search('pasword')[0]?.via).not.toBe('lunr');
    // Words run together defeat word-level corrections; fuse over titles still finds it.
    expect(search.search('resetyourpassword')[0]).toMatchObject({ articleId: 'reset-password', via: 'fuse' });
  });

  it('treats lunr operators as plain words', () => {
    // "-password" must not mean "everything without password".
    expect(search.search('-password').map((h) => h.articleId)).toEqual(search.search('password').map((h) => h.articleId));
    expect(top('+refund')).toBe('refund-policy');
    expect(top('title:refund')).toBe('refund-policy');
    expect(top('refund~2')).toBe('refund-policy');
    expect(top('refund^10')).toBe('refund-policy');
    expect(top('error: 404')).toBe('refund-policy');
    expect(top('https://example.com/settings?tab=api token')).toBe('api-tokens');
  });

  it.each([
    '',
    '   ',
    '*',
    '***',
    '~',
    '^',
    ':',
    'title:',
    '-',
    '+',
    'the and of to',
    '\u0000\u0007\u001b[31m',
    '😀🎉🔥',
    'مرحبا كيف يمكنني',
    'שלום עולם',
    '<img src=x onerror=alert(1)>',
    'x'.repeat(100_000),
    'word '.repeat(20_000),
    '\u202e\u202d reversed',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢'.repeat(1000),
  ])('never throws on hostile input %#', (q) => {
    expect(() => search.search(q)).not.toThrow();
    expect(() => search.search(q, { prefix: true })).not.toThrow();
  });

  it('returns nothing for empty or stop-word-only text', () => {
    expect(search.search('')).toEqual([]);
    expect(search.search('the and of to is')).toEqual([]);
  });

  it('suggests while typing (last word as prefix)', () => {
    expect(search.search('refu', { prefix: true })[0]?.articleId).toBe('refund-policy');
  });

  it('reloads from its serialised form with identical results', () => {
    const reloaded = ArticleSearch.load(JSON.parse(JSON.stringify(search.toJSON())));
    for (const q of ['reset password', 'réinitialiser', 'pasword', 'refund money', '-password', 'api', 'subscriptoin', 'refu']) {
      expect(reloaded.search(q, { prefix: true })).toEqual(search.search(q, { prefix: true }));
    }
  });

  it('rejects an index of another format version with a clear error', () => {
    const data = { ...search.toJSON(), version: SEARCH_FORMAT_VERSION + 1 };
    expect(() => ArticleSearch.load(data)).toThrow(KnowledgeError);
    expect(() => ArticleSearch.load(data)).toThrow(/npm run build/);
    expect(() => ArticleSearch.load({ format: 'something-else' })).toThrow(KnowledgeError);
  });
});
