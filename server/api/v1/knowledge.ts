import { z } from 'zod';
import { notFound } from '../../domain/errors';
import { decodePosition, pageOf } from '../cursor';
import { presentArticle } from '../present';
import { op } from '../registry';
import { Article, Category, listQuery, page } from '../schemas';
import type { ApiDeps } from './deps';

/** The help centre as customers see it (published articles); writing is in knowledge-write.ts. */
export const knowledgeOperations = ({ bundle, articleUrl }: ApiDeps) => [
  op({
    method: 'get',
    path: '/articles',
    operationId: 'listArticles',
    summary: 'List help-centre articles (by id)',
    tag: 'Knowledge',
    scope: 'read',
    query: z.object({ ...listQuery, category: z.string().max(100).optional(), locale: z.string().max(16).optional() }),
    response: page(Article),
    handle: async ({ query }) => {
      const after = decodePosition(query.cursor)?.id;
      const rows = bundle()
        .kb.articles.filter((a) => (!query.category || a.category === query.category) && (!query.locale || a.locale === query.locale))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .filter((a) => after === undefined || a.id > after)
        .slice(0, query.limit + 1);
      return pageOf(rows, query.limit, (a) => presentArticle(a, articleUrl(a.id)), (a) => ({ at: '', id: a.id }));
    },
  }),
  op({
    method: 'get',
    path: '/articles/{id}',
    operationId: 'getArticle',
    summary: 'Read an article, with its Markdown body',
    tag: 'Knowledge',
    scope: 'read',
    response: z.object({ article: Article }),
    handle: async ({ params }) => {
      const article = bundle().kb.articles.find((a) => a.id === params.id);
      if (!article) throw notFound('article', params.id);
      return { article: presentArticle(article, articleUrl(article.id), true) };
    },
  }),
  op({
    method: 'get',
    path: '/categories',
    operationId: 'listCategories',
    summary: 'Article categories and how many articles each has',
    tag: 'Knowledge',
    scope: 'read',
    response: z.object({ data: z.array(Category) }),
    handle: async () => {
      const counts = new Map<string, number>();
      for (const a of bundle().kb.articles) counts.set(a.category, (counts.get(a.category) ?? 0) + 1);
      return { data: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([id, articleCount]) => ({ id, articleCount })) };
    },
  }),
];
