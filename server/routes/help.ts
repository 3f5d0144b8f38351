import express, { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import type { KnowledgeBundle } from '../../bot/knowledge-bundle';
import type { Article } from '../../knowledge/types';
import { DomainError, notFound, rateLimited } from '../domain/errors';
import { httpStatusOf } from '../http/errors';
import { articlePage, categoryPage, errorPage, type HelpSite, homePage, notFoundPage, searchPage, sitemap } from '../help/pages';
import type { Store } from '../store/types';
import { loadBranding } from './ui';
import { popularArticles } from '../help/popular';
import { sourceAddress } from '../http/edge';
import type { Availability } from '../domain/views';
import { type HelpLang, negotiateLang } from '../help/words';

const POPULAR = 6;

export interface HelpRouteDeps {
  bundle: () => KnowledgeBundle;
  store: Store;
  ipPerMinute: number;
  /** Absolute base for canonical links and the sitemap (PUBLIC_URL, else the request's host). */
  publicUrl: string | undefined;
  /** The widget key help pages embed (the first of WIDGET_KEYS). */
  widgetKey: string | undefined;
  log: Logger;
  /** Who answers now: the same source as the widget's presence line. */
  availability: () => Promise<Availability>;
  /** The chrome's language when the browser asks for none we have (DEFAULT_LOCALE). */
  defaultLocale: HelpLang;
}

/** The widget's header logic (presence line): online, or away with the reply by email or in the chat. */
const replyMode = (a: Availability): HelpSite['reply'] => (a.agentsOnline && a.withinBusinessHours ? 'online' : a.emailReplies ? 'away' : 'awayHere');

/** The self-service help centre: server-rendered, searchable, with article feedback and the chat on every page. */
export function helpRoutes(deps: HelpRouteDeps): Router {
  const router = Router();
  const articles = () => deps.bundle().kb.articles;
  const byId = () => new Map(articles().map((a) => [a.id, a]));
  const site = async (req: Request, res: Response): Promise<HelpSite> => {
    const branding = await loadBranding(deps.store);
    // Pages other than an article speak the browser's language: caches must keep them apart.
    res.vary('Accept-Language');
    return {
      lang: negotiateLang(req.get('accept-language'), deps.defaultLocale),
      reply: replyMode(await deps.availability()),
      name: branding.helpCentreName,
      baseUrl: (deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/$/, ''),
      widgetKey: deps.widgetKey,
      nonce: String(res.locals.nonce ?? ''),
      brandColor: branding.brandColor,
    };
  };
  /** Most viewed first, topped up with each topic's first article; the page's language first. */
  const popular = async (lang: HelpLang): Promise<Article[]> =>
    popularArticles(articles(), (await deps.store.ui.mostViewed(POPULAR * 2)).map((v) => v.articleId), lang, POPULAR);
  const page = (res: Response, status: number, body: string) => res.status(status).type('html').send(body);

  router.get('/', async (req, res) => {
    const s = await site(req, res);
    page(res, 200, homePage(s, articles(), await popular(s.lang)));
  });

  router.get('/sitemap.xml', async (req, res) => {
    res.type('application/xml').send(sitemap((await site(req, res)).baseUrl, articles()));
  });

  router.get('/search', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    const hits = q.trim() ? deps.bundle().search.search(q, { limit: 10 }) : [];
    const s = await site(req, res);
    page(res, 200, searchPage(s, q, hits, byId(), hits.length ? [] : await popular(s.lang)));
  });

  router.get('/categories/:id', async (req, res) => {
    const list = articles().filter((a) => a.category === req.params.id);
    if (list.length === 0) throw notFound('category', req.params.id);
    page(res, 200, categoryPage(await site(req, res), req.params.id, list));
  });

  router.get('/articles/:id', async (req, res) => {
    const article = articles().find((a) => a.id === req.params.id);
    if (!article) throw notFound('article', req.params.id);
    const thanks = req.query.thanks === '1';
    // A view is counted once per visit, not again after the feedback redirect.
    if (!thanks) await deps.store.ui.countView(article.id).catch(() => undefined);
    const related = articles()
      .filter((a) => a.category === article.category && a.id !== article.id)
      .slice(0, 5);
    page(res, 200, articlePage(await site(req, res), article, thanks, related));
  });

  router.post('/articles/:id/feedback', express.urlencoded({ extended: false, limit: '2kb' }), async (req, res) => {
    const article = articles().find((a) => a.id === req.params.id);
    if (!article) throw notFound('article', req.params.id);
    const hits = await deps.store.limits.hit(`feedback:${sourceAddress(req)}`, 60_000);
    if (hits > deps.ipPerMinute) throw rateLimited();
    await deps.store.surveys.recordArticleFeedback({ articleId: article.id, helpful: req.body?.helpful === 'yes', source: 'help_center' });
    res.redirect(303, `/help/articles/${article.id}?thanks=1`);
  });

  // Anything else under /help is a page a person asked for: answer in HTML, never JSON.
  router.use(async (req, res) => {
    const s = await site(req, res);
    page(res, 404, notFoundPage(s, await popular(s.lang)));
  });
  router.use(async (err: unknown, req: Request, res: Response, _next: express.NextFunction) => {
    if (res.headersSent) return;
    try {
      const s = await site(req, res).catch(
        (): HelpSite => ({ name: 'Help centre', baseUrl: '', widgetKey: deps.widgetKey, nonce: String(res.locals.nonce ?? ''), brandColor: '#1d4ed8', lang: deps.defaultLocale, reply: 'online' }),
      );
      if (err instanceof DomainError) {
        const status = httpStatusOf(err);
        return page(res, status, status === 404 ? notFoundPage(s, await popular(s.lang).catch(() => [])) : errorPage(s));
      }
      const e = err as { status?: number; type?: string };
      if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return page(res, e.status, errorPage(s));
      deps.log.error({ err, url: req.originalUrl }, 'help centre error');
      page(res, 500, errorPage(s));
    } catch {
      res.status(500).type('text').send('The help centre could not show this page.');
    }
  });

  return router;
}
