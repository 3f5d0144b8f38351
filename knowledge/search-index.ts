import Fuse from 'fuse.js';
import lunr from 'lunr';
import { KnowledgeError } from './errors';
import { MAX_QUERY_TERMS, words } from './text';
import type { Article, ArticleHit } from './types';

export const SEARCH_FORMAT = 'answerdesk-search';
/** Bump when the analysis or the stored shape changes; old files are then rejected, not misread. */
export const SEARCH_FORMAT_VERSION = 1;

/** Field boosts: a word in the title says far more about an article than the same word in its body. */
const FIELD_BOOSTS = { title: 10, tags: 6, phrases: 3, headings: 3, summary: 2, body: 1 } as const;
type Field = keyof typeof FIELD_BOOSTS;
const FIELDS = Object.keys(FIELD_BOOSTS) as Field[];

/** Shortest misspelt term we try edit distance on; shorter words match too much noise. */
const MIN_FUZZY_LENGTH = 4;
const FUSE_THRESHOLD = 0.35;

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
}

export interface SerializedSearchIndex {
  format: typeof SEARCH_FORMAT;
  version: number;
  lunr: object;
  titles: { id: string; title: string }[];
  phrases: { id: string; text: string }[];
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
  private fuse: Fuse<{ id: string; text: string }> | undefined;
  private readonly titleById: Map<string, string>;
  private readonly vocabulary: Record<string, unknown>;

  private constructor(
    private readonly index: lunr.Index,
    private readonly titles: { id: string; title: string }[],
    private readonly phrases: { id: string; text: string }[],
  ) {
    this.titleById = new Map(titles.map((t) => [t.id, t.title]));
    // lunr keeps its vocabulary in `invertedIndex`; reading it lets us use edit distance only
    // for words the index does not know, instead of on every term (which is ~10x slower).
    this.vocabulary = (index as unknown as { invertedIndex: Record<string, unknown> }).invertedIndex;
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
    const titles = docs.map((d) => ({ id: d.id, title: d.title }));
    const phrases = docs.flatMap((d) => [
      { id: d.id, text: d.title },
      ...(d.phrases ?? []).map((text) => ({ id: d.id, text })),
    ]);
    return new ArticleSearch(index, titles, phrases);
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
    return new ArticleSearch(lunr.Index.load(s.lunr ?? {}), s.titles ?? [], s.phrases ?? []);
  }

  toJSON(): SerializedSearchIndex {
    return {
      format: SEARCH_FORMAT,
      version: SEARCH_FORMAT_VERSION,
      lunr: this.index.toJSON(),
      titles: this.titles,
      phrases: this.phrases,
    };
  }

  get size(): number {
    return this.titles.length;
  }

  /**
   * Ranked articles for free text. Words are analysed here and handed to lunr as plain
   * OPTIONAL terms, so `-password`, `title:x`, `a~2` or `*` are just words, never operators.
   */
  search(text: string, options: SearchOptions = {}): ArticleHit[] {
    const limit = options.limit ?? 5;
    const terms = analyse(text).slice(0, MAX_QUERY_TERMS);
    if (terms.length === 0) return [];
    let fuzzy = false;
    const results = this.index.query((q) => {
      terms.forEach(({ term, surface }, i) => {
        const isLast = i === terms.length - 1;
        if (this.vocabulary[term] !== undefined) {
          q.term(term, { usePipeline: false });
        } else if (term.length >= MIN_FUZZY_LENGTH) {
          fuzzy = true;
          q.term(term, { usePipeline: false, editDistance: 1, boost: 0.5 });
        }
        if (options.prefix && isLast && surface.length >= 2) {
          q.term(surface, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 0.5 });
        }
      });
    });
    if (results.length > 0) {
      return results.slice(0, limit).map((r) => ({
        articleId: r.ref,
        title: this.titleById.get(r.ref) ?? r.ref,
        score: r.score,
        via: fuzzy ? 'lunr-fuzzy' : 'lunr',
        coverage: Math.min(1, Object.keys(r.matchData.metadata).length / terms.length),
      }));
    }
    return this.fuzzyTitles(text, limit);
  }

  /** Typo-tolerant fallback over titles and customer phrasings: small lists, where fuse is fast. */
  private fuzzyTitles(text: string, limit: number): ArticleHit[] {
    const needle = words(text).join(' ').slice(0, 64);
    if (needle.length < 3) return [];
    this.fuse ??= new Fuse(this.phrases, {
      keys: ['text'],
      includeScore: true,
      ignoreLocation: true,
      threshold: FUSE_THRESHOLD,
      getFn: (doc) => words(doc.text).join(' '),
    });
    const hits: ArticleHit[] = [];
    const seen = new Set<string>();
    for (const r of this.fuse.search(needle, { limit: limit * 4 })) {
      if (seen.has(r.item.id)) continue;
      seen.add(r.item.id);
      hits.push({ articleId: r.item.id, title: this.titleById.get(r.item.id) ?? r.item.id, score: 1 - (r.score ?? 1), via: 'fuse', coverage: 1 - (r.score ?? 1) });
      if (hits.length >= limit) break;
    }
    return hits;
  }
}
