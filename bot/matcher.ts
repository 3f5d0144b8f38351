import lunr from 'lunr';
import type { ArticleSearch } from '../knowledge/search-index';
import { words } from '../knowledge/text';
import type { Article, ArticleHit, KnowledgeBase } from '../knowledge/types';
import type { Matcher } from './engine';
import { decideOn, MAX_CLARIFY_OPTIONS } from './nlu/decide';
import type { IntentClassifier } from './nlu/types';
import type { MatchThresholds } from './thresholds';
import { wordVectors } from './nlu/word-vectors';
import { Spelling } from './spelling';
import { splitQuestion } from './two-questions';
import { type Candidate, type CandidateRef, type MatchDecision, OUT_OF_SCOPE_INTENT } from './types';

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
  goodbye: (t, n) => n <= 6 && /\b(bye|goodbye|later|see (you|ya)|cya|ciao|farewell|that'?s all|that is all|done|nice day|good ?night|take care)\b/i.test(t),
};
/** Conversational intents answer or steer the conversation; they are never offered as a topic to choose. */
export const CONVERSATIONAL_INTENTS: ReadonlySet<string> = new Set(Object.keys(CONVERSATIONAL_GUARDS));

const CLASSIFIER_TOP_K = 5;
const SEARCH_TOP_K = 5;
/** A search-only match must cover this much of the question (ArticleHit.relevance) to be offered at all. */
const MIN_SEARCH_RELEVANCE = 0.6;
/**
 * A classifier candidate whose article (or, for short responses, whose phrasings) shares less than
 * this with the question's telling words is not backed by anything the help centre says: its
 * confidence is scaled down, to nothing at half of it. ("Can I import my projects from Trello?" looks like
 * "what happens to my projects" to the classifier, but nothing about Trello or importing backs it.)
 */
const MIN_BACKING = 0.4;
/** At most this many words for a question to be read as a bare topic ("billing", "refund"). */
const BROAD_MAX_WORDS = 3;
/**
 * Below this confidence a bare topic with no runner-up in reach is still not answered: its
 * articles are offered instead ("billing": 0.39). On the calibration tables (README) answers
 * under 0.5 are right at most four times in five; "cancel my subscription" and "invoices" score
 * 0.9 and more.
 */
const BROAD_SURE = 0.5;

export interface MatcherParts {
  kb: KnowledgeBase;
  search: ArticleSearch;
  classifier: IntentClassifier;
  thresholds: MatchThresholds;
}

const stem = (word: string) => lunr.stemmer(new lunr.Token(word, {})).toString();
const contentStems = (text: string) => words(text).filter((w) => lunr.stopWordFilter(new lunr.Token(w, {}))).map(stem);
const sentenceCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Ranks intents and articles for a customer's text. The classifier is the calibrated signal;
 * what the help centre says backs it or not (search relevance of the candidate's article); search
 * alone only ever offers ("did you mean…"), never asserts, and only on telling words.
 */
export class KnowledgeMatcher implements Matcher {
  private readonly articles: Map<string, Article>;
  private readonly intents: Map<string, KnowledgeBase['intents'][number]>;
  /** Stemmed words of each article-less intent's phrasings and response, to back its candidates. */
  private readonly responseWords = new Map<string, Set<string>>();
  private spellingIndex: Spelling | undefined;

  constructor(private readonly parts: MatcherParts) {
    this.articles = new Map(parts.kb.articles.map((a) => [a.id, a]));
    this.intents = new Map(parts.kb.intents.map((i) => [i.name, i]));
    for (const intent of parts.kb.intents) {
      if (intent.articleId || CONVERSATIONAL_INTENTS.has(intent.name)) continue;
      this.responseWords.set(intent.name, new Set(contentStems([...intent.examples, intent.response ?? ''].join(' '))));
    }
  }

  rank(text: string): Candidate[] {
    return this.rankWith(text, this.parts.search.search(text, { limit: SEARCH_TOP_K, minRelevance: 0 }));
  }

  private rankWith(text: string, hits: ArticleHit[]): Candidate[] {
    const { thresholds } = this.parts;
    const byKey = new Map<string, Candidate>();
    const offer = (c: Candidate) => {
      const k = `${c.ref.kind}:${c.ref.id}`;
      const existing = byKey.get(k);
      if (!existing || existing.confidence < c.confidence) byKey.set(k, existing?.intent && !c.intent ? { ...c, intent: existing.intent } : c);
    };
    const relevance = new Map(hits.map((h) => [h.articleId, h.relevance]));
    const wordCount = text.trim().split(/\s+/).filter(Boolean).length;
    const stems = contentStems(text);
    for (const score of this.parts.classifier.predict(text, CLASSIFIER_TOP_K)) {
      if (score.intent === OUT_OF_SCOPE_INTENT) continue;
      const guard = CONVERSATIONAL_GUARDS[score.intent];
      if (guard && !guard(text.slice(0, 500), wordCount)) continue;
      const c = this.fromIntent(score.intent, score.confidence);
      if (!c) continue;
      // Fully backed from MIN_BACKING up; nothing at all below half of it (neither answered nor offered).
      const backing = Math.min(1, Math.max(0, (this.backing(c, stems, relevance) - MIN_BACKING / 2) / (MIN_BACKING / 2)));
      offer(backing < 1 ? { ...c, confidence: c.confidence * backing } : c);
    }
    const ceiling = (thresholds.answer + thresholds.clarify) / 2;
    for (const hit of hits) {
      if (hit.relevance < MIN_SEARCH_RELEVANCE || !hit.specific) continue;
      const article = this.articles.get(hit.articleId);
      if (!article) continue;
      // Relevance 0.6…1 maps onto [clarify, halfway to answer): enough to be offered, never to answer.
      const confidence = thresholds.clarify + (ceiling - thresholds.clarify) * ((hit.relevance - MIN_SEARCH_RELEVANCE) / (1 - MIN_SEARCH_RELEVANCE)) * 0.99;
      offer({ ref: { kind: 'article', id: article.id }, confidence, title: article.title, article, source: 'search' });
    }
    return [...byKey.values()].sort((a, b) => b.confidence - a.confidence);
  }

  /** How much of the question the candidate's own content accounts for (1 when there is nothing to check). */
  private backing(c: Candidate, stems: string[], relevance: Map<string, number>): number {
    if (c.intent && CONVERSATIONAL_INTENTS.has(c.intent)) return 1;
    if (c.article) return relevance.get(c.article.id) ?? 0;
    const known = c.intent ? this.responseWords.get(c.intent) : undefined;
    if (!known || stems.length === 0) return 1;
    return stems.filter((s) => known.has(s)).length / stems.length;
  }

  /** Built on the first question that gets no answer: the words customers see and type (titles, summaries, headings, tags, phrasings). */
  private get spelling(): Spelling {
    if (!this.spellingIndex) {
      const { articles, intents } = this.parts.kb;
      const edited = [...articles.flatMap((a) => [a.title, a.summary, ...a.headings, ...a.tags]), ...intents.map((i) => i.response ?? '')];
      const english = wordVectors().index;
      this.spellingIndex = new Spelling(edited, intents.flatMap((i) => i.examples), (w) => english.has(w));
    }
    return this.spellingIndex;
  }

  /**
   * The decision for the text as typed; when that answers nothing, the answer for the text with
   * its typos corrected against the help centre's words (bot/spelling.ts), if there is one.
   */
  match(text: string): MatchDecision {
    const asTyped = this.decide(text);
    if (asTyped.action === 'answer') return asTyped;
    const corrected = this.spelling.correct(text);
    if (corrected === text) return asTyped;
    // Only a confident answer replaces the decision as typed: options offered for a guessed
    // reading ("it doesnt work" → "it doesn work") would be choices the customer never asked for.
    const fixed = this.decide(corrected);
    return fixed.action === 'answer' ? fixed : asTyped;
  }

  private decide(text: string): MatchDecision {
    const { thresholds } = this.parts;
    const hits = this.parts.search.search(text, { limit: SEARCH_TOP_K, minRelevance: 0 });
    const candidates = this.rankWith(text, hits);
    const offerable = candidates.filter((c) => !(c.intent && CONVERSATIONAL_INTENTS.has(c.intent)));
    const d = decideOn(candidates, thresholds);
    if (d.action === 'answer') {
      const best = d.best;
      const runnersUp = candidates.filter((c) => c.confidence >= thresholds.clarify);
      if (best.source === 'classifier' && best.article && this.isBroad(text, hits)) {
        // A bare topic ("billing") names several articles: ask which one instead of picking one.
        const options = this.topicOptions(best, offerable, hits);
        if (options.length > 1) return { action: 'clarify', candidates: options };
      }
      const also = best.article && !(best.intent && CONVERSATIONAL_INTENTS.has(best.intent)) ? this.secondQuestion(text, best) : undefined;
      return { action: 'answer', candidate: best, candidates: runnersUp, ...(also ? { also } : {}) };
    }
    const options = decideOn(offerable, thresholds);
    if (options.action === 'clarify') return { action: 'clarify', candidates: options.options };
    return { action: 'fallback', candidates };
  }

  /** Articles in another language that answer the text, by search alone (so: offered, never asserted). */
  matchInLocale(text: string, locale: string): Candidate[] {
    const { thresholds } = this.parts;
    return this.parts.search
      .search(text, { limit: SEARCH_TOP_K })
      .filter((h) => h.specific && h.relevance >= MIN_SEARCH_RELEVANCE && this.articles.get(h.articleId)?.locale === locale)
      .slice(0, 3)
      .map((h) => {
        const article = this.articles.get(h.articleId)!;
        return { ref: { kind: 'article', id: article.id }, confidence: thresholds.clarify, title: article.title, article, source: 'search' };
      });
  }

  /**
   * A second, distinct topic in the same message ("change my email and also update my card"):
   * both halves must be answered confidently on their own, one of them by the topic found for the
   * whole message.
   */
  private secondQuestion(text: string, best: Candidate): Candidate | undefined {
    const { thresholds } = this.parts;
    for (const [a, b] of splitQuestion(text)) {
      const tops = [a, b].map((part) => this.rank(part).find((c) => c.source === 'classifier' && c.article && !(c.intent && CONVERSATIONAL_INTENTS.has(c.intent))));
      const [ta, tb] = tops;
      if (!ta || !tb || ta.confidence < thresholds.answer || tb.confidence < thresholds.answer) continue;
      if (ta.ref.id === tb.ref.id) continue;
      if (ta.ref.id === best.ref.id) return tb;
      if (tb.ref.id === best.ref.id) return ta;
    }
    return undefined;
  }

  /**
   * The choices for a bare topic: the classifier's candidates that would be offered (capped below
   * answering). When none is in reach of the best and the best is not sure (BROAD_SURE), the
   * articles the topic's words are about (search relevance) follow, up to MAX_CLARIFY_OPTIONS:
   * with a handful of phrasings per article the classifier's runners-up often score nothing.
   * One option means: answer.
   */
  private topicOptions(best: Candidate, offerable: Candidate[], hits: ArticleHit[]): Candidate[] {
    const { thresholds } = this.parts;
    const capped = decideOn(offerable.map((c) => ({ ...c, confidence: Math.min(c.confidence, thresholds.answer - 1e-9) })), thresholds);
    const options: Candidate[] = capped.action === 'clarify' ? [...capped.options] : [];
    if (options.length > 1 || best.confidence >= BROAD_SURE) return options;
    for (const hit of hits) {
      if (options.length >= MAX_CLARIFY_OPTIONS) break;
      const article = hit.relevance >= MIN_SEARCH_RELEVANCE ? this.articles.get(hit.articleId) : undefined;
      if (!article || options.some((o) => o.ref.kind === 'article' && o.ref.id === article.id)) continue;
      options.push({ ref: { kind: 'article', id: article.id }, confidence: thresholds.clarify, title: article.title, article, source: 'search' });
    }
    return options;
  }

  /** A few words, every one of them generic in this help centre: a topic rather than a question. */
  private isBroad(text: string, hits: ArticleHit[]): boolean {
    const n = words(text).length;
    return n > 0 && n <= BROAD_MAX_WORDS && hits.length >= 3 && hits.every((h) => !h.specific);
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
      // What a customer would have typed, never the internal intent name.
      title: sentenceCase(intent.examples[0] ?? intent.response ?? ''),
      intent: name,
      ...(intent.response !== undefined ? { response: intent.response } : {}),
      source: 'classifier',
    };
  }
}
