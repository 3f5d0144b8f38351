import Fuse from 'fuse.js';
import { OneEditIndex } from './one-edit';
import lunr from 'lunr';
import { KnowledgeError } from './errors';
import { MAX_QUERY_TERMS, words } from './text';
import type { Article, ArticleHit } from './types';

export const SEARCH_FORMAT = 'answerdesk-search';
/** Bump when the analysis or the stored shape changes; old files are then rejected, not misread. */
export const SEARCH_FORMAT_VERSION = 2;

/** Field boosts: a word in the title says far more about an article than the same word in its body. */
const FIELD_BOOSTS = { title: 10, tags: 6, phrases: 3, headings: 3, summary: 2, body: 1 } as const;
type Field = keyof typeof FIELD_BOOSTS;
const FIELDS = Object.keys(FIELD_BOOSTS) as Field[];

/** Shortest misspelt term we try to correct; shorter words match too much noise. */
const MIN_FUZZY_LENGTH = 4;
/**
 * Terms found in more than this share of articles are dropped from a query that has rarer
 * terms: they barely change the ranking but make lunr score most of the index (a dynamic
 * stop-word list; at 10k articles this is what keeps p99 low).
 */
const COMMON_TERM_SHARE = 0.05;
/**
 * Titles, tags, phrasings and headings are short and chosen words: always searched. In the
 * long fields (summary, body) a term is searched only where it is rare (in at most this share
 * of articles): lunr scores every article a clause reaches, so one body-common word would
 * otherwise make it score hundreds of articles the title words already outrank.
 */
const LONG_FIELD_SHARE = 0.01;
const LONG_FIELDS: ReadonlySet<Field> = new Set(['summary', 'body']);
/** Most vocabulary terms one misspelt word may expand to. */
const MAX_CORRECTIONS = 4;
const FUSE_THRESHOLD = 0.3;
/**
 * fuse scans every title on each call (~20 µs a title on these machines), so the title
 * fallback runs only for help centres up to this size (a few ms on a miss; most help centres
 * are smaller). Beyond it the symmetric-delete corrections alone carry typo tolerance, and a
 * question that matches nothing stays cheap (see the "miss p99" column of `npm run bench`).
 */
const FUSE_MAX_TITLES = 300;
/** A title found only by fuzzy matching is a guess: enough to list it, never enough to offer it in chat. */
const FUSE_RELEVANCE = 0.35;
/** Longer needles cost fuse one more bit-parallel pass per 32 characters and rarely help. */
const FUSE_MAX_NEEDLE = 32;

export interface SearchDocument {
  id: string;
  title: string;
  tags?: string[];
  headings?: string[];
  summary?: string;
  body?: string;
  /** Customer phrasings (intent examples) that this article answers. */
  phrases?: string[];
}

export interface SearchOptions {
  limit?: number;
  /** Treat the last word as a prefix (search-as-you-type). */
  prefix?: boolean;
  /**
   * Hits below this relevance (see ArticleHit.relevance) are dropped, so a short list is never
   * padded with articles that merely share a word with the question. 0 keeps every hit.
   */
  minRelevance?: number;
  /** Keep only hits that rest on at least one word that is not generic (see ArticleHit.specific). */
  specificOnly?: boolean;
}

/** A word found in more than this share of articles is generic ("account", "work", "change"). */
const GENERIC_SHARE = 0.25;
/**
 * A word no article uses weighs this share of the rarest known word: a question about "Trello"
 * is largely about Trello, but a stray word ("title:", a URL's "https") must not sink a good hit.
 */
const UNKNOWN_WORD_WEIGHT = 0.5;

/**
 * Default relevance floor: at least half of what the question says (weighted by how telling each
 * word is) must be found in the article, counting words found only in the body at a discount.
 */
export const MIN_RELEVANCE = 0.35;
/** Hits scoring under this share of the best hit's score are dropped too (a long tail is noise). */
const MIN_SHARE_OF_TOP = 0.2;
/** How much a word found only in this field counts towards relevance (title, tags… count fully). */
const FIELD_WEIGHT: Record<Field, number> = { title: 1, tags: 1, phrases: 1, headings: 0.9, summary: 0.7, body: 0.4 };
/** A misspelt word matched through a correction counts a little less than the word itself. */
const CORRECTED_WEIGHT = 0.8;

export interface SerializedSearchIndex {
  format: typeof SEARCH_FORMAT;
  version: number;
  lunr: object;
  titles: { id: string; title: string }[];
}

interface AnalysedTerm {
  term: string;
  /** The folded word before stemming, used for prefix matching. */
  surface: string;
}

/** Same analysis as the index pipeline, done by us so raw text never meets lunr's query parser. */
function analyse(text: string, maxChars?: number): AnalysedTerm[] {
  const out: AnalysedTerm[] = [];
  const seen = new Set<string>();
  for (const word of words(text, maxChars)) {
    const token = new lunr.Token(word, {});
    if (!lunr.stopWordFilter(token)) continue;
    const term = lunr.stemmer(token).toString();
    if (seen.has(term)) continue;
    seen.add(term);
    out.push({ term, surface: word });
  }
  return out;
}

function analysedText(text: string | string[] | undefined): string {
  if (text === undefined) return '';
  const joined = Array.isArray(text) ? text.join(' \n ') : text;
  return words(joined, Number.POSITIVE_INFINITY).join(' ');
}

export class ArticleSearch {
  private fuse: Fuse<{ id: string; title: string }> | undefined;
  private readonly titleById: Map<string, string>;
  private readonly vocabulary: Record<string, unknown>;
  private nearby: OneEditIndex | undefined;
  private readonly documentFrequency = new Map<string, number>();
  private readonly termFields = new Map<string, Field[]>();

  private constructor(
    private readonly index: lunr.Index,
    private readonly titles: { id: string; title: string }[],
  ) {
    this.titleById = new Map(titles.map((t) => [t.id, t.title]));
    // lunr keeps its vocabulary in `invertedIndex`; reading it lets us use edit distance only
    // for words the index does not know, instead of on every term (which is ~10x slower).
    this.vocabulary = (index as unknown as { invertedIndex: Record<string, unknown> }).invertedIndex;
  }

  /** The fields worth searching a term in (see LONG_FIELD_SHARE); cached like df. */
  private fieldsFor(term: string): Field[] {
    let fields = this.termFields.get(term);
    if (!fields) {
      const postings = (this.vocabulary[term] ?? {}) as Record<string, object>;
      const cap = Math.max(50, this.titles.length * LONG_FIELD_SHARE);
      fields = FIELDS.filter((f) => postings[f] && (!LONG_FIELDS.has(f) || Object.keys(postings[f]).length <= cap));
      this.termFields.set(term, fields);
    }
    return fields;
  }

  /** Articles containing a term in any field (cached: the posting lists never change). */
  private df(term: string): number {
    let n = this.documentFrequency.get(term);
    if (n === undefined) {
      const postings = this.vocabulary[term] as Record<string, unknown> | undefined;
      const docs = new Set<string>();
      if (postings) {
        for (const [field, refs] of Object.entries(postings)) if (field !== '_index') for (const ref of Object.keys(refs as object)) docs.add(ref);
      }
      n = docs.size;
      this.documentFrequency.set(term, n);
    }
    return n;
  }

  /**
   * Vocabulary terms within one edit of `term` (knowledge/one-edit.ts): a typo is corrected with
   * a few map lookups instead of lunr's edit-distance automaton over the whole vocabulary —
   * about 10x faster at 10k articles.
   */
  private corrections(term: string): string[] {
    if (!this.nearby) {
      const index = new OneEditIndex();
      for (const word of Object.keys(this.vocabulary)) if (word.length >= MIN_FUZZY_LENGTH - 1) index.add(word);
      this.nearby = index;
    }
    return this.nearby.near(term, MAX_CORRECTIONS);
  }

  static build(docs: SearchDocument[]): ArticleSearch {
    const index = lunr(function () {
      // Documents are analysed by `words()` before they get here, so lunr only needs to
      // drop stop words and stem; its trimmer would strip non-ASCII letters at word edges.
      this.pipeline.reset();
      this.pipeline.add(lunr.stopWordFilter, lunr.stemmer);
      this.searchPipeline.reset();
      this.searchPipeline.add(lunr.stemmer);
      this.ref('id');
      for (const field of FIELDS) this.field(field, { boost: FIELD_BOOSTS[field] });
      for (const doc of docs) {
        this.add({
          id: doc.id,
          title: analysedText(doc.title),
          tags: analysedText(doc.tags),
          phrases: analysedText(doc.phrases),
          headings: analysedText(doc.headings),
          summary: analysedText(doc.summary),
          body: analysedText(doc.body),
        });
      }
    });
    return new ArticleSearch(
      index,
      docs.map((d) => ({ id: d.id, title: d.title })),
    );
  }

  static fromArticles(articles: Article[], phrasesByArticle: Map<string, string[]> = new Map()): ArticleSearch {
    return ArticleSearch.build(
      articles.map((a) => ({
        id: a.id,
        title: a.title,
        tags: a.tags,
        headings: a.headings,
        summary: a.summary,
        body: a.body,
        phrases: phrasesByArticle.get(a.id) ?? [],
      })),
    );
  }

  static load(data: unknown): ArticleSearch {
    const s = data as Partial<SerializedSearchIndex> | null;
    if (!s || s.format !== SEARCH_FORMAT) {
      throw new KnowledgeError('index_format', `not an ${SEARCH_FORMAT} file; rebuild it with "npm run build"`);
    }
    if (s.version !== SEARCH_FORMAT_VERSION) {
      throw new KnowledgeError(
        'index_format',
        `search index format version ${String(s.version)} is not supported (expected ${SEARCH_FORMAT_VERSION}); rebuild it with "npm run build"`,
      );
    }
    return new ArticleSearch(lunr.Index.load(s.lunr ?? {}), s.titles ?? []);
  }

  toJSON(): SerializedSearchIndex {
    return {
      format: SEARCH_FORMAT,
      version: SEARCH_FORMAT_VERSION,
      lunr: this.index.toJSON(),
      titles: this.titles,
    };
  }

  get size(): number {
    return this.titles.length;
  }

  /**
   * Search-as-you-type: at most five articles above the relevance floor (zero to five, never
   * padded), the last word read as a prefix. What the widget shows under the message box.
   */
  suggest(text: string, options: { limit?: number; minRelevance?: number } = {}): ArticleHit[] {
    return this.search(text, { limit: options.limit ?? 5, prefix: true, minRelevance: options.minRelevance ?? MIN_RELEVANCE, specificOnly: true });
  }

  /**
   * Ranked articles for free text. Words are analysed here and handed to lunr as plain
   * OPTIONAL terms, so `-password`, `title:x`, `a~2` or `*` are just words, never operators.
   */
  search(text: string, options: SearchOptions = {}): ArticleHit[] {
    const limit = options.limit ?? 5;
    const terms = analyse(text).slice(0, MAX_QUERY_TERMS);
    if (terms.length === 0) return [];
    type Clause = { term: string; boost: number; wildcard?: boolean; corrected?: boolean };
    const clauses: Clause[] = [];
    terms.forEach(({ term, surface }, i) => {
      if (this.vocabulary[term] !== undefined) clauses.push({ term, boost: 1 });
      else if (term.length >= MIN_FUZZY_LENGTH) for (const word of this.corrections(term)) clauses.push({ term: word, boost: 0.5, corrected: true });
      if (options.prefix && i === terms.length - 1 && surface.length >= 2) clauses.push({ term: surface, boost: 0.5, wildcard: true });
    });
    const commonAbove = Math.max(50, this.titles.length * COMMON_TERM_SHARE);
    const rare = clauses.filter((c) => c.wildcard || this.df(c.term) <= commonAbove);
    // Common words stay only when there is nothing rarer to search for.
    const used = rare.some((c) => !c.wildcard) ? rare : clauses;
    const fuzzy = used.some((c) => c.corrected);
    // Narrow each word to its telling fields, unless that would leave nothing to search.
    const narrowed = used.map((c) => ({ ...c, fields: c.wildcard ? FIELDS : this.fieldsFor(c.term) }));
    const searchable = narrowed.some((c) => c.fields.length > 0) ? narrowed.filter((c) => c.fields.length > 0) : used.map((c) => ({ ...c, fields: FIELDS }));
    const results =
      searchable.length === 0
        ? []
        : this.index.query((q) => {
            for (const c of searchable) {
              q.term(c.term, { usePipeline: false, boost: c.boost, fields: c.fields, ...(c.wildcard ? { wildcard: lunr.Query.wildcard.TRAILING } : {}) });
            }
          });
    if (results.length > 0) {
      const minRelevance = options.minRelevance ?? MIN_RELEVANCE;
      const floor = results[0]!.score * MIN_SHARE_OF_TOP;
      const weights = terms.map(({ term }) => this.informativeness(term));
      const total = weights.reduce((a, b) => a + b, 0);
      return results
        .map((r) => ({
          articleId: r.ref,
          title: this.titleById.get(r.ref) ?? r.ref,
          score: r.score,
          via: fuzzy ? ('lunr-fuzzy' as const) : ('lunr' as const),
          coverage: Math.min(1, Object.keys(r.matchData.metadata).length / terms.length),
          ...this.relevance(terms, weights, total, r.matchData.metadata as Record<string, Record<string, unknown>>, searchable, options.prefix === true),
        }))
        .filter((h) => h.score >= floor && h.relevance >= minRelevance && (!options.specificOnly || h.specific))
        .slice(0, limit);
    }
    if ((options.minRelevance ?? MIN_RELEVANCE) > FUSE_RELEVANCE || options.specificOnly) return [];
    return this.fuzzyTitles(text, limit);
  }

  /**
   * How telling a query term is: its inverse document frequency over articles, a word the help
   * centre never uses counting as the rarest of all (a question about "Trello" is mostly about
   * Trello, whatever else it shares with an article).
   */
  private informativeness(term: string): number {
    const n = this.titles.length;
    if (this.vocabulary[term] !== undefined) return Math.log(1 + n / (1 + this.df(term)));
    const corrected = this.corrections(term);
    if (corrected.length === 0) return UNKNOWN_WORD_WEIGHT * Math.log(1 + n);
    return Math.log(1 + n / (1 + corrected.reduce((m, w) => Math.max(m, this.df(w)), 0)));
  }

  /** Weighted share of the query's terms found in one article (0–1), by field (FIELD_WEIGHT). */
  private relevance(
    terms: AnalysedTerm[],
    weights: number[],
    total: number,
    metadata: Record<string, Record<string, unknown>>,
    clauses: { term: string; corrected?: boolean; wildcard?: boolean }[],
    prefix: boolean,
  ): { relevance: number; specific: boolean } {
    if (total <= 0) return { relevance: 0, specific: false };
    const fieldWeight = (fields: Record<string, unknown> | undefined) => (fields ? Math.max(0, ...Object.keys(fields).map((f) => FIELD_WEIGHT[f as Field] ?? 0)) : 0);
    let found = 0;
    let most = 0;
    terms.forEach(({ term, surface }, i) => {
      let best = fieldWeight(metadata[term]);
      if (best < 1) {
        for (const c of clauses) {
          if (c.corrected && metadata[c.term] && this.corrections(term).includes(c.term)) best = Math.max(best, CORRECTED_WEIGHT * fieldWeight(metadata[c.term]));
        }
      }
      if (best < 1 && prefix && i === terms.length - 1) {
        for (const [key, fields] of Object.entries(metadata)) if (key.startsWith(surface)) best = Math.max(best, fieldWeight(fields));
      }
      found += weights[i]! * best;
      most = Math.max(most, weights[i]! * best);
    });
    // One non-generic word found in a title carries this much; a hit must rest on at least that.
    const n = this.titles.length;
    return { relevance: found / total, specific: most >= Math.log(1 + n / (1 + GENERIC_SHARE * n)) - 1e-9 };
  }

  /**
   * Last resort for typos the word-level corrections cannot fix (two edits in one word, words
   * run together): fuse over titles. Customer phrasings need no fuse pass: they are indexed in
   * lunr (so their words get the same corrections) and the intent classifier reads them through
   * character n-grams, which tolerate typos by construction.
   */
  private fuzzyTitles(text: string, limit: number): ArticleHit[] {
    if (this.titles.length > FUSE_MAX_TITLES) return [];
    const needle = words(text).join(' ').slice(0, FUSE_MAX_NEEDLE);
    if (needle.length < 3) return [];
    this.fuse ??= new Fuse(this.titles, {
      keys: ['title'],
      includeScore: true,
      ignoreLocation: true,
      threshold: FUSE_THRESHOLD,
      getFn: (doc) => words(doc.title).join(' '),
    });
    return this.fuse.search(needle, { limit }).map((r) => ({
      articleId: r.item.id,
      title: r.item.title,
      score: 1 - (r.score ?? 1),
      via: 'fuse' as const,
      coverage: 1 - (r.score ?? 1),
      relevance: FUSE_RELEVANCE,
      specific: false,
    }));
  }
}
