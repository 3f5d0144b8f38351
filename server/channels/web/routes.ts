import express, { type Request, Router } from 'express';
import { z } from 'zod';
import type { ArticleSearch } from '../../../knowledge/search-index';
import type { VisitorTokens } from '../../auth/visitor-token';
import type { Config } from '../../config';
import type { ConversationService } from '../../conversations';
import { invalid, rateLimited, unauthenticated } from '../../domain/errors';
import { boundedIntParam, INT32_MAX } from '../../domain/input';
import { visibleToCustomer } from '../../domain/transcript';
import type { Store } from '../../store/types';
import { WEB_THREAD } from './inbound';
import type { HistoryResponse, SessionResponse, SuggestResponse } from './protocol';
import { sourceAddress } from '../../http/edge';

const attributeValue = z.union([z.string().max(200), z.number(), z.boolean()]);
const sessionSchema = z.object({
  key: z.string().min(1).max(64),
  token: z.string().max(300).optional(),
  name: z.string().trim().max(100).optional(),
  email: z.email().max(254).optional(),
  pageUrl: z.url().max(2000).optional(),
  attributes: z
    .record(z.string().max(40), attributeValue)
    .refine((a) => Object.keys(a).length <= 20, 'at most 20 attributes')
    .optional(),
});

const historyQuery = z.object({ after: boundedIntParam(0, INT32_MAX).default(0) });

export interface WidgetRouteDeps {
  config: Config;
  store: Store;
  service: ConversationService;
  tokens: VisitorTokens;
  search: () => ArticleSearch;
  articleUrl(id: string): string;
  summaries: () => Map<string, string>;
}

export function widgetRoutes(deps: WidgetRouteDeps): Router {
  const { config, store, service, tokens } = deps;
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  const limitIp = async (req: Request) => {
    const hits = await store.limits.hit(`ip:${sourceAddress(req)}`, 60_000);
    if (hits > config.rateLimits.ipPerMinute) throw rateLimited();
  };

  router.post('/session', async (req, res) => {
    await limitIp(req);
    const body = sessionSchema.parse(req.body);
    if (!config.widgetKeys.includes(body.key)) throw invalid('unknown_key', 'unknown widget key');
    const claims = tokens.verify(body.token);
    const known = claims && claims.key === body.key ? await store.customers.get(claims.customerId) : undefined;
    const customer = await store.customers.save({
      ...(known ? { id: known.id } : {}),
      channel: 'web',
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.email !== undefined ? { email: body.email } : {}),
      ...(body.pageUrl !== undefined ? { pageUrl: body.pageUrl } : {}),
      ...(body.attributes !== undefined ? { attributes: body.attributes } : {}),
    });
    const response: SessionResponse = {
      token: known && body.token ? body.token : tokens.sign({ customerId: customer.id, key: body.key }),
      customerId: customer.id,
      availability: await service.availability(),
      limits: { messageMaxBytes: config.messageMaxBytes },
    };
    res.json(response);
  });

  router.get('/suggest', async (req, res) => {
    await limitIp(req);
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    const summaries = deps.summaries();
    // Zero to five articles above the relevance floor: never padded with unrelated ones.
    const hits = q.trim().length < 2 ? [] : deps.search().suggest(q);
    const body: SuggestResponse = {
      articles: hits.map((h) => ({ id: h.articleId, title: h.title, summary: summaries.get(h.articleId) ?? '', url: deps.articleUrl(h.articleId) })),
    };
    res.json(body);
  });

  router.get('/messages', async (req, res) => {
    const header = req.headers.authorization ?? '';
    const claims = tokens.verify(header.startsWith('Bearer ') ? header.slice(7) : undefined);
    if (!claims) throw unauthenticated('a valid visitor token is required');
    // Sequence numbers are 32-bit integers in storage: a larger "after" is refused, not passed on.
    const { after } = historyQuery.parse(req.query);
    const conversation = await store.conversations.inThread(claims.customerId, WEB_THREAD);
    const body: HistoryResponse = {
      conversation: conversation ? await service.view(conversation) : null,
      messages: conversation ? (await store.conversations.listMessages(conversation.id, after)).filter(visibleToCustomer) : [],
    };
    res.json(body);
  });

  return router;
}
