import { Router } from 'express';
import { z } from 'zod';
import type { KnowledgeBundle } from '../../bot/knowledge-bundle';
import type { RequireAgent } from '../auth/agent-auth';
import type { ConversationService } from '../conversations';
import { notFound } from '../domain/errors';
import type { Store, Ticket } from '../store/types';
import { jsonBodyAfterAuth } from '../http/body';
import { ticketsWithNames } from './ticket-names';

export interface UiTicketDeps {
  store: Store;
  service: ConversationService;
  requireAgent: RequireAgent;
  bundle: () => KnowledgeBundle;
  /** Root-relative article link (the widget and the console are on the support site). */
  articlePath(id: string): string;
}

/** Console: ticket search, the "Insert article" picker and a customer's earlier conversations. */
export function uiTicketRoutes(deps: UiTicketDeps): Router {
  const { store, service, requireAgent } = deps;
  const router = Router();
  // Scoped to the one path with a body: mounted on /api, a parser for everything would take others' bodies.
  router.use('/tickets/:id/article', jsonBodyAfterAuth({ limit: '8kb' }));

  const named = (tickets: Ticket[]) => ticketsWithNames(store, tickets);

  /** Full-text search over subjects, customers' names and emails, and every message. */
  router.get('/search/tickets', requireAgent(), async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    const ids = await store.ui.searchTickets(q);
    const tickets = (await Promise.all(ids.map((id) => store.tickets.get(id)))).filter((t): t is Ticket => t !== undefined);
    res.json({ tickets: await named(tickets) });
  });

  /** Articles for the composer's picker: search results, or the first ones of each category. */
  router.get('/help-articles', requireAgent(), (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200).trim() : '';
    const { kb, search } = deps.bundle();
    const byId = new Map(kb.articles.map((a) => [a.id, a]));
    const found = q ? search.search(q, { limit: 8 }).map((h) => byId.get(h.articleId)) : kb.articles.slice(0, 8);
    res.json({
      articles: found.filter((a) => a !== undefined).map((a) => ({ id: a.id, title: a.title, summary: a.summary, locale: a.locale, url: deps.articlePath(a.id) })),
    });
  });

  /** Send an article card: the widget shows a card, Slack and Teams their cards, email a link. */
  router.post('/tickets/:id/article', requireAgent(), async (req, res) => {
    const { articleId, clientId } = z.object({ articleId: z.string().min(1).max(200), clientId: z.string().max(64).optional() }).parse(req.body);
    const article = deps.bundle().kb.articles.find((a) => a.id === articleId);
    if (!article) throw notFound('article', articleId);
    const message = await service.agentSend(
      req.params.id as string,
      res.locals.agent!,
      { type: 'article', articleId: article.id, title: article.title, summary: article.summary, url: deps.articlePath(article.id), askFeedback: false },
      clientId,
    );
    res.status(201).json({ message });
  });

  /** A customer's conversations, newest first, each with its ticket's subject and id when it has one. */
  router.get('/customers/:id/conversations', requireAgent(), async (req, res) => {
    const conversations = await store.conversations.listOfCustomer(req.params.id as string, 20);
    const tickets = new Map((await store.ui.ticketsOf(conversations.map((c) => c.id))).map((t) => [t.conversationId, t]));
    const out = await Promise.all(
      conversations.map(async (c) => {
        const ticket = tickets.get(c.id);
        let subject = ticket?.subject;
        if (!subject) {
          const first = (await store.conversations.listMessages(c.id, 0, 20)).find((m) => m.author === 'customer' && m.content.type === 'text');
          subject = first?.content.type === 'text' ? first.content.text.slice(0, 120) : undefined;
        }
        return { id: c.id, channel: c.channel, state: c.state, createdAt: c.createdAt, subject: subject ?? null, ticketId: ticket?.id ?? null };
      }),
    );
    res.json({ conversations: out });
  });

  return router;
}
