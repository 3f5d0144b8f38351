import type { ArticleSearch } from '../knowledge/search-index';
import type { Article, KnowledgeBase } from '../knowledge/types';
import type { Matcher } from './engine';
import { decideOn } from './nlu/decide';
import type { IntentClassifier } from './nlu/types';
import type { MatchThresholds } from './thresholds';
import type { Candidate, CandidateRef, MatchDecision } from './types';

/** Share of the question's words an article must contain before search alone may offer it. */
const MIN_SEARCH_COVERAGE = 0.75;

/**
 * Built-in conversational intents are trained on short, generic phrases, so a classifier with
 * few intents readily maps unrelated text onto them ("tell me a joke" → talk to a person).
 * They only count when the wording backs them up; otherwise the next candidate decides.
 */
const CONVERSATIONAL_GUARDS: Record<string, (text: string, wordCount: number) => boolean> = {
  human_handoff: (t) => /\b(human|person|people|agent|someone|somebody|representative|rep|operator|staff|support|team|real|live|service|talk|speak|chat|call|contact)\b/i.test(t),
  affirm: (t, n) => n <= 6 && /\b(yes|yep|yeah|yup|sure|correct|exactly|indeed|helped|worked|perfect|great|it)\b/i.test(t),
  deny: (t, n) => n <= 8 && /\b(no|nope|nah|not|didn'?t|doesn'?t|don'?t|isn'?t|wrong|useless|broken)\b/i.test(t),
  greeting: (_t, n) => n <= 5,
  thanks: (t, n) => n <= 8 && /\b(thanks?|thx|ty|cheers|appreciated?|grateful)\b/i.test(t),
  goodbye: (_t, n) => n <= 6,
};
const CLASSIFIER_TOP_K = 5;
const SEARCH_TOP_K = 3;

export interface MatcherParts {
  kb: KnowledgeBase;
  search: ArticleSearch;
  classifier: IntentClassifier;
  thresholds: MatchThresholds;
}

const humanize = (intent: string) => {
  const s = intent.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};

/**
 * Ranks intents and articles for a customer's text. The classifier is the calibrated signal;
 * keyword search adds articles the classifier has no intent for (or missed), but only ever
 * below the answer threshold: a search-only match is offered ("did you mean…"), never asserted.
 */
export class KnowledgeMatcher implements Matcher {
  private readonly articles: Map<string, Article>;
  private readonly intents: Map<string, KnowledgeBase['intents'][number]>;

  constructor(private readonly parts: MatcherParts) {
    this.articles = new Map(parts.kb.articles.map((a) => [a.id, a]));
    this.intents = new Map(parts.kb.intents.map((i) => [i.name, i]));
  }

  rank(text: string): Candidate[] {
    const { thresholds } = this.parts;
    const byKey = new Map<string, Candidate>();
    const offer = (c: Candidate) => {
      const k = `${c.ref.kind}:${c.ref.id}`;
      const existing = byKey.get(k);
      if (!existing || existing.confidence < c.confidence) byKey.set(k, existing?.intent && !c.intent ? { ...c, intent: existing.intent } : c);
    };
    const wordCount = text.trim().split(/\s+/).filter(Boolean).length;
    for (const score of this.parts.classifier.predict(text, CLASSIFIER_TOP_K)) {
      const guard = CONVERSATIONAL_GUARDS[score.intent];
      if (guard && !guard(text.slice(0, 500), wordCount)) continue;
      const c = this.fromIntent(score.intent, score.confidence);
      if (c) offer(c);
    }
    const span = thresholds.answer - thresholds.clarify;
    for (const hit of this.parts.search.search(text, { limit: SEARCH_TOP_K })) {
      if (hit.coverage < MIN_SEARCH_COVERAGE) continue;
      const article = this.articles.get(hit.articleId);
      if (!article) continue;
      // Maps coverage 0.75…1 onto [clarify, clarify + span/4]: enough to be offered, never to answer.
      const confidence = thresholds.clarify + span * (hit.coverage - MIN_SEARCH_COVERAGE);
      offer({ ref: { kind: 'article', id: article.id }, confidence, title: article.title, article, source: 'search' });
    }
    return [...byKey.values()].sort((a, b) => b.confidence - a.confidence);
  }

  match(text: string): MatchDecision {
    const candidates = this.rank(text);
    const d = decideOn(candidates, this.parts.thresholds);
    // Runners-up worth offering after a "no" must themselves clear the clarify bar.
    if (d.action === 'answer') return { action: 'answer', candidate: d.best, candidates: candidates.filter((c) => c.confidence >= this.parts.thresholds.clarify) };
    if (d.action === 'clarify') return { action: 'clarify', candidates: d.options };
    return { action: 'fallback', candidates };
  }

  candidate(ref: CandidateRef): Candidate | undefined {
    if (ref.kind === 'article') {
      const article = this.articles.get(ref.id);
      return article && { ref, confidence: 1, title: article.title, article, source: 'search' };
    }
    return this.fromIntent(ref.id, 1);
  }

  private fromIntent(name: string, confidence: number): Candidate | undefined {
    const intent = this.intents.get(name);
    if (!intent) return undefined;
    const article = intent.articleId ? this.articles.get(intent.articleId) : undefined;
    if (article) return { ref: { kind: 'article', id: article.id }, confidence, title: article.title, intent: name, article, source: 'classifier' };
    return {
      ref: { kind: 'intent', id: name },
      confidence,
      title: humanize(name),
      intent: name,
      ...(intent.response !== undefined ? { response: intent.response } : {}),
      source: 'classifier',
    };
  }
}
