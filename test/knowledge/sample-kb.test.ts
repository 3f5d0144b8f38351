import { describe, expect, it } from 'vitest';
import { parseBundle, serializeBundle } from '../../bot/knowledge-bundle';
import { KnowledgeMatcher } from '../../bot/matcher';
import { DEFAULT_THRESHOLDS } from '../../bot/thresholds';
import { bundleFor, SAMPLE_KB_DIR } from '../support/fixtures';

const bundle = bundleFor(SAMPLE_KB_DIR);
const matcher = new KnowledgeMatcher({ ...bundle, thresholds: DEFAULT_THRESHOLDS });

describe('sample help centre', () => {
  it('ships 40+ articles across the seven categories, every intent answered by an article or a response', () => {
    expect(bundle.kb.articles.length).toBeGreaterThanOrEqual(40);
    expect(new Set(bundle.kb.articles.map((a) => a.category))).toEqual(
      new Set(['billing', 'plans', 'refunds', 'account', 'integrations', 'troubleshooting', 'privacy']),
    );
    for (const intent of bundle.kb.intents) expect(intent.articleId ?? intent.response ?? intent.name === 'human_handoff').toBeTruthy();
  });

  // Phrasings written for this test, not copied from nlu.yml.
  it.each([
    ['i cant remember my password', 'reset-password'],
    ['my credit card keeps getting declined', 'payment-failed'],
    ['where do I download last months invoice', 'download-invoices'],
    ['please cancel my subscription', 'cancel-subscription'],
    ['how long does a refund take to show up', 'refund-timing'],
  ])('answers "%s" with %s', (text, articleId) => {
    const decision = matcher.match(text);
    expect(decision.action).toBe('answer');
    expect(decision.action === 'answer' && decision.candidate.ref.id).toBe(articleId);
  });

  it('reloads the whole built index (search + classifier) with identical results', () => {
    const reloaded = parseBundle(serializeBundle(bundle));
    const again = new KnowledgeMatcher({ ...reloaded, thresholds: DEFAULT_THRESHOLDS });
    for (const q of ['reset password', 'réinitialiser mot de passe', 'refund', 'slack integration', '-password', 'paymnet faild', 'hello']) {
      expect(again.rank(q)).toEqual(matcher.rank(q));
    }
  });
});
