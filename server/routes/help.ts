import express, { Router } from 'express';
import type { KnowledgeBundle } from '../../bot/knowledge-bundle';
import { notFound, rateLimited } from '../domain/errors';
import { articlePage, homePage, searchPage } from '../help/pages';
import type { Store } from '../store/types';
import { sourceAddress } from '../http/edge';

/** The self-service help centre: server-rendered, searchable, with article feedback. */
export function helpRoutes(deps: { bundle: () => KnowledgeBundle; store: Store; ipPerMinute: number }): Router {
  const router = Router();
  const summaries = () => new Map(deps.bundle().kb.articles.map((a) => [a.id, a.summary]));

  router.get('/', (_req, res) => {
    res.type('html').send(homePage(deps.bundle().kb.articles));
  });

  router.get('/search', (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    const hits = q.trim() ? deps.bundle().search.search(q, { limit: 10 }) : [];
    res.type('html').send(searchPage(q, hits, summaries()));
  });

  router.get('/articles/:id', (req, res) => {
    const article = deps.bundle().kb.articles.find((a) => a.id === req.params.id);
    if (!article) throw notFound('article', req.params.id);
    res.type('html').send(articlePage(article, req.query.thanks === '1'));
  });

  router.post('/articles/:id/feedback', express.urlencoded({ extended: false, limit: '2kb' }), async (req, res) => {
    const article = deps.bundle().kb.articles.find((a) => a.id === req.params.id);
    if (!article) throw notFound('article', req.params.id);
    const hits = await deps.store.limits.hit(`feedback:${sourceAddress(req)}`, 60_000);
    if (hits > deps.ipPerMinute) throw rateLimited();
    await deps.store.surveys.recordArticleFeedback({ articleId: article.id, helpful: req.body?.helpful === 'yes', source: 'help_center' });
    res.redirect(303, `/help/articles/${article.id}?thanks=1`);
  });

  return router;
}
