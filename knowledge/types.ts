/** A help-centre article: one Markdown file with YAML front matter. */
export interface Article {
  id: string;
  title: string;
  category: string;
  tags: string[];
  /** BCP 47 language tag; `en` when the front matter omits it. */
  locale: string;
  summary: string;
  /** Intent names this article answers (see the Rasa NLU file). */
  intents: string[];
  /** Markdown body without the front matter. */
  body: string;
  /** Section headings of the body, in order (used as a boosted search field). */
  headings: string[];
}

/** An intent imported from Rasa NLU YAML. It answers with an article or with a short response. */
export interface IntentDefinition {
  name: string;
  examples: string[];
  /** Set when an article lists this intent in its front matter. */
  articleId?: string;
  /** Rasa-style `responses: utter_<intent>` text, for intents that need no article. */
  response?: string;
}

export interface KnowledgeBase {
  articles: Article[];
  intents: IntentDefinition[];
}

export interface ArticleHit {
  articleId: string;
  title: string;
  /** Raw lunr score (unbounded); only meaningful for ranking within one query. */
  score: number;
  /** Which path found it: exact lunr terms, lunr with edit distance, or fuse on titles. */
  via: 'lunr' | 'lunr-fuzzy' | 'fuse';
  /** Share of the query's words this article matched (0–1): a rough, query-independent strength. */
  coverage: number;
  /**
   * How much of the question this article answers (0–1): the share of the question's words found
   * in it, each weighted by how telling it is (rare words weigh more; a word no article uses
   * weighs half the rarest) and by where it was found (title, tags and phrasings fully, the body
   * at a discount). Fuse guesses get a fixed 0.35.
   */
  relevance: number;
  /** At least one matched word is not generic (found in at most a quarter of the articles); false for fuse guesses. */
  specific: boolean;
}
