import { describe, expect, it } from 'vitest';
import { ConversationEngine } from '../../bot/engine';
import { KnowledgeMatcher } from '../../bot/matcher';
import { DEFAULT_THRESHOLDS } from '../../bot/thresholds';
import { dialogue } from '../support/dialogue';
import { bundleFor, SAMPLE_KB_DIR } from '../support/fixtures';

// The failures a new user met with the sample help centre (issue 15), as dialogue.
const bundle = bundleFor(SAMPLE_KB_DIR);
const matcher = new KnowledgeMatcher({ ...bundle, thresholds: DEFAULT_THRESHOLDS });
const engine = () => new ConversationEngine({ matcher, articleUrl: (id) => `/help/articles/${id}` });
const INTERNAL_NAMES = new Set(bundle.kb.intents.map((i) => i.name.toLowerCase()));

describe('honest answers with a small help centre', () => {
  it.each(['Can I import my projects from Trello?', 'do you have a dark mode?', 'it doesnt work'])('says it does not know "%s" instead of guessing', (text) => {
    dialogue(engine()).customer(text).fallsBack().saysItDoesNotKnow();
  });

  it('asks which billing topic "billing" means, offering billing articles only', () => {
    const t = dialogue(engine()).customer('billing').clarifies().doesNotAnswer();
    const offered = t.turn.replies.flatMap((r) => (r.type === 'choices' ? r.choices.flatMap((c) => (c.action.kind === 'choose' ? [c.action.candidate.id] : [])) : []));
    expect(offered.length).toBeGreaterThan(1);
    for (const id of offered) {
      const a = bundle.kb.articles.find((x) => x.id === id)!;
      expect([a.title, a.category, ...a.tags].join(' '), id).toMatch(/bill/i);
    }
  });

  it('asks which "account" topic is meant rather than answering "delete your account"', () => {
    dialogue(engine()).customer('account').clarifies(['delete-account', 'locked-account']).doesNotAnswer();
  });

  it.each(['it doesnt work', 'no', 'yes please', 'billing', 'what are your hours and pricing', 'ok thanks bye'])('never shows an internal name or a conversational intent as a choice (%s)', (text) => {
    const t = dialogue(engine()).customer(text);
    for (const label of t.labels()) {
      expect(INTERNAL_NAMES.has(label.toLowerCase().replace(/ /g, '_')), label).toBe(false);
      expect(label).not.toMatch(/^(deny|affirm|greeting|thanks|goodbye|human handoff)$/i);
    }
  });

  it('answers both parts of a two-part question, each card with its own "Did this help?"', () => {
    const chat = dialogue(engine());
    chat.customer('How do I change my email address and also update my credit card?').answersWithArticles(['change-email', 'update-payment-method']);
    // The second card's buttons speak for the second card.
    const second = chat.presses({ kind: 'feedback', helpful: true, articleId: 'update-payment-method' });
    expect(second.turn.events).toContainEqual({ type: 'feedback', helpful: true, ref: { kind: 'article', id: 'update-payment-method' } });
    chat.presses({ kind: 'feedback', helpful: true, articleId: 'change-email' }).isResolvedByBot();
  });

  it.each([
    // Short requests it is sure of: answered outright, not "which topic?".
    ['cancel my subscription', 'cancel-subscription'],
    ['invoices', 'download-invoices'],
    ['delete account', 'delete-account'],
    // Typos: answered from the article they stand for.
    ['how do i chnage my emial', 'change-email'],
    ['I forgot my pasword', 'reset-password'],
    ['where can I downlaod my invoices', 'download-invoices'],
  ])('answers "%s" with %s', (text, articleId) => {
    dialogue(engine()).customer(text).answersWithArticle(articleId);
  });

  it('answers one topic once, even when the question has "and" in it', () => {
    dialogue(engine()).customer('I forgot my password and need to reset it').answersWithArticles(['reset-password']);
  });

  it('answers a French question from the French article, in French', () => {
    const t = dialogue(engine()).customer('Comment réinitialiser mon mot de passe ?');
    t.clarifies(['reinitialiser-mot-de-passe']).says(/article/i);
    expect(t.labels()).toContain('Parler à une personne');
  });

  it.each([
    ['Wie kann ich mein Passwort zurücksetzen?', 'de', /Deutsch/],
    ['¿Cómo puedo cambiar mi contraseña, por favor?', 'es', /español/],
  ])('hands a question in another language to the team, saying so in that language and tagging it (%s)', (text, language, wording) => {
    const chat = dialogue(engine());
    const t = chat.customer(text).saysItDoesNotKnow().says(wording);
    expect(t.turn.events).toContainEqual(expect.objectContaining({ type: 'fallback', language }));
    const handoff = chat.presses({ kind: 'handoff' }).escalates();
    expect(handoff.turn.events).toContainEqual({ type: 'escalate', reason: 'customer_asked', language });
  });

  it('keeps English questions on the English path, untagged', () => {
    const t = dialogue(engine()).customer('I forgot my password').answersWithArticle('reset-password');
    expect(JSON.stringify(t.turn.events)).not.toContain('language');
  });
});

describe('help-centre search and suggestions', () => {
  it('suggests only relevant articles while typing, never padding to five', () => {
    expect(bundle.search.suggest('account is locked').map((h) => h.articleId)).toEqual(['locked-account']);
    expect(bundle.search.suggest('import from trello')).toEqual([]);
    expect(bundle.search.suggest('it doesnt work')).toEqual([]);
    expect(bundle.search.suggest('slack').map((h) => h.articleId)).toEqual(['slack-integration']);
  });

  it('returns no unrelated hit on the search page', () => {
    expect(bundle.search.search('import from trello', { limit: 10 })).toEqual([]);
    expect(bundle.search.search('reset password', { limit: 10 })[0]?.articleId).toBe('reset-password');
  });

  it('keeps the unfiltered ranking available with minRelevance 0', () => {
    expect(bundle.search.search('import from trello', { minRelevance: 0 }).length).toBeGreaterThan(0);
  });
});
