import { type Response, Router } from 'express';
import { z } from 'zod';
import type { RequireAgent } from '../auth/agent-auth';
import { forbidden, invalid, notFound } from '../domain/errors';
import { renderMarkdown } from '../help/pages';
import { ImproveInbox } from '../kb/inbox';
import type { KnowledgeRuntime } from '../kb/runtime';
import { actorOf, canPublish, KnowledgeService, type SaveOutcome } from '../kb/service';
import { ARTICLE_STATES, type ArticleState, LIMITS } from '../kb/types';
import { slugify } from '../kb/validate';
import type { Agent, Store } from '../store/types';
import { jsonBodyAfterAuth } from '../http/body';

const content = z.object({
  title: z.string().max(LIMITS.titleChars * 2),
  category: z.string().max(80),
  tags: z.array(z.string().max(200)).max(LIMITS.tags * 2).default([]),
  locale: z.string().max(35).default('en'),
  summary: z.string().max(LIMITS.summaryChars * 2).default(''),
  body: z.string(),
  phrasings: z.array(z.string().max(LIMITS.phrasingChars * 2)).max(LIMITS.phrasings * 2).default([]),
});
const state = z.enum(ARTICLE_STATES as [ArticleState, ...ArticleState[]]);

/** Saved (200/201), proposed (202), or a 409 that carries what the editor needs to resolve it. */
function send(res: Response, outcome: SaveOutcome, created = false): void {
  switch (outcome.kind) {
    case 'saved':
      res.status(created ? 201 : 200).json({ article: outcome.article });
      return;
    case 'proposed':
      res.status(202).json({ proposal: outcome.revision });
      return;
    case 'conflict':
      res.status(409).json({ error: { code: 'version_conflict', message: 'someone saved this article after you opened it; both versions are shown' }, current: outcome.current, yours: outcome.yours });
      return;
    case 'phrasing_clash':
      res.status(409).json({ error: { code: 'phrasing_taken', message: 'some phrasings already belong to other articles' }, clashes: outcome.clashes });
      return;
  }
}

/** The console's Knowledge section and "Improve the bot" inbox. */
export function knowledgeRoutes(deps: { store: Store; requireAgent: RequireAgent; knowledge: KnowledgeRuntime; articlePath: (id: string) => string; editor?: KnowledgeService }): Router {
  const { store, requireAgent, knowledge } = deps;
  const service = deps.editor ?? new KnowledgeService(store, knowledge);
  const inbox = new ImproveInbox(store, () => knowledge.matcher, (id) => knowledge.bundle().kb.articles.find((a) => a.id === id)?.title);
  const router = Router();
  // Articles are limited to LIMITS.bodyBytes (a clear 413 `article_too_large`); bigger bodies are refused by the parser (413).
  router.use('/knowledge', jsonBodyAfterAuth({ limit: '512kb' }));
  const me = (res: Response) => res.locals.agent as Agent;

  router.get('/knowledge/status', requireAgent(), (_req, res) => {
    res.json({ version: knowledge.version(), articles: knowledge.bundle().kb.articles.length, builtAt: knowledge.bundle().builtAt, lastBuildMs: Math.round(knowledge.lastBuildMs), canPublish: canPublish(me(res)) });
  });

  router.get('/knowledge/articles', requireAgent(), async (req, res) => {
    const q = z.object({ q: z.string().max(200).optional(), state: state.optional(), category: z.string().max(80).optional() }).parse(req.query);
    const articles = await service.list(q);
    res.json({ articles: articles.map(({ body: _b, ...a }) => a) });
  });

  router.get('/knowledge/categories', requireAgent(), async (_req, res) => {
    const doc = await store.knowledge.document();
    res.json({ categories: doc.categories });
  });

  router.post('/knowledge/articles', requireAgent(), async (req, res) => {
    const body = z.object({ slug: z.string().max(100).optional(), content, publish: z.boolean().optional(), movePhrasings: z.boolean().optional(), inboxKey: z.string().max(500).optional() }).parse(req.body);
    const outcome = await service.create(me(res), { ...(body.slug ? { slug: body.slug } : {}), content: body.content, ...(body.publish ? { publish: true } : {}), ...(body.movePhrasings ? { movePhrasings: true } : {}) });
    if (outcome.kind === 'saved' && body.inboxKey) {
      const item = await inbox.find(body.inboxKey);
      await store.knowledge.recordInboxAction({ groupKey: body.inboxKey, texts: item?.wordings.map((w) => w.text) ?? [], action: 'create_article', target: outcome.article.id, agentId: me(res).id });
    }
    send(res, outcome, true);
  });

  router.get('/knowledge/articles/:id', requireAgent(), async (req, res) => {
    const article = await store.knowledge.get(req.params.id as string);
    if (!article) throw notFound('article', req.params.id as string);
    res.json({ article, revisions: await store.knowledge.revisions(article.id), url: deps.articlePath(article.id) });
  });

  router.patch('/knowledge/articles/:id', requireAgent(), async (req, res) => {
    const body = z.object({ version: z.number().int().min(1), content, movePhrasings: z.boolean().optional(), note: z.string().max(500).optional() }).parse(req.body);
    send(res, await service.save(me(res), req.params.id as string, { version: body.version, content: body.content, ...(body.movePhrasings ? { movePhrasings: true } : {}), ...(body.note ? { note: body.note } : {}) }));
  });

  router.post('/knowledge/articles/:id/state', requireAgent(), async (req, res) => {
    const body = z.object({ version: z.number().int().min(1), state }).parse(req.body);
    send(res, await service.setState(me(res), req.params.id as string, body.version, body.state));
  });

  router.post('/knowledge/articles/:id/restore', requireAgent(), async (req, res) => {
    const body = z.object({ version: z.number().int().min(1), revisionId: z.number().int().min(1) }).parse(req.body);
    send(res, await service.restore(me(res), req.params.id as string, body.revisionId, body.version));
  });

  router.post('/knowledge/phrasings/check', requireAgent(), async (req, res) => {
    const body = z.object({ texts: z.array(z.string().max(LIMITS.phrasingChars * 2)).max(LIMITS.phrasings * 2), articleId: z.string().max(100).nullable().default(null) }).parse(req.body);
    res.json({ clashes: await service.clashes(body.texts, body.articleId) });
  });

  // The same sanitised renderer as /help (scripts, event handlers and javascript: links removed).
  router.post('/knowledge/preview', requireAgent(), (req, res) => {
    const { markdown } = z.object({ markdown: z.string().max(LIMITS.bodyBytes) }).parse(req.body);
    res.json({ html: renderMarkdown(markdown) });
  });

  router.get('/knowledge/inbox', requireAgent(), async (req, res) => {
    const q = z.object({ sort: z.enum(['recent', 'frequent']).optional(), status: z.enum(['open', 'done']).optional(), days: z.coerce.number().int().min(1).max(365).optional() }).parse(req.query);
    res.json({ items: await inbox.items(q) });
  });

  /** A prefilled draft for "create an article": the question as title, its wordings as phrasings. */
  router.post('/knowledge/inbox/draft', requireAgent(), async (req, res) => {
    const { key } = z.object({ key: z.string().max(500) }).parse(req.body);
    const item = await inbox.find(key);
    if (!item) throw notFound('inbox item');
    const title = item.text.replace(/\s+/g, ' ').trim().replace(/[?.!]+$/, '').slice(0, LIMITS.titleChars);
    const category = item.guess ? knowledge.bundle().kb.articles.find((a) => a.id === item.guess!.articleId)?.category : undefined;
    res.json({ slug: slugify(title), content: { title: title.charAt(0).toUpperCase() + title.slice(1), category: category ?? 'general', tags: [], locale: 'en', summary: '', body: '', phrasings: item.wordings.map((w) => w.text) }, inboxKey: key });
  });

  router.post('/knowledge/inbox/actions', requireAgent(), async (req, res) => {
    const body = z.object({ key: z.string().max(500), action: z.enum(['add_phrasing', 'out_of_scope', 'dismiss']), articleId: z.string().max(100).optional() }).parse(req.body);
    const item = await inbox.find(body.key);
    if (!item) throw notFound('inbox item');
    const texts = item.wordings.map((w) => w.text);
    const agent = me(res);
    let target: string | null = null;
    if (body.action === 'add_phrasing') {
      if (!body.articleId) throw invalid('article_required', 'choose the article these questions belong to');
      const outcome = await service.addPhrasings(agent, body.articleId, texts);
      if (outcome.kind === 'proposed') {
        res.status(202).json({ proposal: outcome.revision });
        return;
      }
      target = body.articleId;
    } else if (body.action === 'out_of_scope') {
      if (!canPublish(agent)) throw forbidden('only editors and admins change what the bot answers', 'editor_only');
      if ((await store.knowledge.addOutOfScope(texts)) > 0) await knowledge.changed();
    }
    const action = await store.knowledge.recordInboxAction({ groupKey: body.key, texts, action: body.action, target, agentId: agent.id });
    res.status(201).json({ action, by: actorOf(agent) });
  });

  /** The conversation behind an inbox item. */
  router.get('/knowledge/conversations/:id', requireAgent(), async (req, res) => {
    const conversation = await store.conversations.get(req.params.id as string);
    if (!conversation) throw notFound('conversation', req.params.id as string);
    res.json({ conversation: { id: conversation.id, channel: conversation.channel, state: conversation.state, createdAt: conversation.createdAt }, messages: await store.conversations.listMessages(conversation.id, 0, 200) });
  });

  return router;
}
