/** The knowledge base as the product stores it (issue 14): articles with state and history. */

export type ArticleState = 'draft' | 'published' | 'archived';
export const ARTICLE_STATES: readonly ArticleState[] = ['draft', 'published', 'archived'];

/** What an editor writes. Phrasings are the ways customers ask ("customers ask"). */
export interface ArticleContent {
  title: string;
  category: string;
  tags: string[];
  locale: string;
  summary: string;
  /** Markdown. */
  body: string;
  phrasings: string[];
}

export interface KbArticle extends ArticleContent {
  /** The slug: the article's address and id, fixed at creation. */
  id: string;
  state: ArticleState;
  /** Optimistic concurrency: a save names the version it edited; +1 on every change. */
  version: number;
  /** Intent names whose phrasings are this article's (the first takes new phrasings). */
  intents: string[];
  /** Where an imported article came from (articles/<category>/<id>.md), kept for export. */
  sourcePath: string | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
}

/** Who does something to the knowledge base, for the history. */
export interface KbActor {
  id: string | null;
  name: string;
}

export type RevisionAction = 'create' | 'save' | 'publish' | 'unpublish' | 'archive' | 'restore' | 'proposal' | 'import' | 'phrasing';

export interface ArticleSnapshot extends ArticleContent {
  state: ArticleState;
}

export interface Revision {
  id: number;
  articleId: string;
  /** The article's version this revision produced (a proposal: the version it was based on). */
  version: number;
  action: RevisionAction;
  agentId: string | null;
  agentName: string | null;
  snapshot: ArticleSnapshot;
  note: string | null;
  createdAt: string;
}

export interface KbCategory {
  id: string;
  name: string;
}

/** An intent as imported from Rasa NLU YAML: with an article, or with a short response. */
export interface KbIntent {
  name: string;
  articleId: string | null;
  response: string | null;
  examples: string[];
}

/** The whole knowledge base, every state: what import writes and export reads. */
export interface KbDocument {
  categories: KbCategory[];
  articles: (Omit<KbArticle, 'phrasings' | 'version' | 'createdAt' | 'updatedAt' | 'updatedBy'>)[];
  intents: KbIntent[];
  outOfScope: string[];
}

/** Lower case, spaces collapsed: two phrasings that differ only so are the same phrasing. */
export const normalizePhrasing = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

export { OUT_OF_SCOPE_INTENT } from '../../bot/types';

/** Limits: a defined outcome (a clear 4xx) instead of a stalled rebuild or a bloated index. */
export const LIMITS = {
  titleChars: 200,
  summaryChars: 1_000,
  bodyBytes: 200_000,
  tags: 30,
  tagChars: 60,
  phrasings: 300,
  phrasingChars: 300,
} as const;
