import { Router } from 'express';
import { z } from 'zod';
import type { RequireAgent } from '../auth/agent-auth';
import type { Config } from '../config';
import { brandingSchema, readBranding, type Branding } from '../domain/branding';
import { invalid, notFound } from '../domain/errors';
import type { RealtimeBus } from '../realtime/bus';
import type { Store } from '../store/types';
import { jsonBodyAfterAuth } from '../http/body';
import { popularArticles } from '../help/popular';

/** Agents seen within this window count as online (the console sends presence heartbeats). */
const PRESENCE_WINDOW_MS = 2 * 60_000;
/** Articles offered in an empty conversation. */
const POPULAR = 3;

export interface UiRouteDeps {
  store: Store;
  config: Config;
  requireAgent: RequireAgent;
  bus: RealtimeBus;
}

export const loadBranding = async (store: Store): Promise<Branding> => readBranding(await store.ui.getSetting('branding'));

/** What every widget reads on load: the team's branding and who is online (first names only). */
export function widgetConfigRoute(deps: Pick<UiRouteDeps, 'store' | 'config'> & { articles: () => { id: string; title: string; category: string; locale: string }[]; articlePath(id: string): string }): Router {
  const router = Router();
  router.get('/config', async (req, res) => {
    const key = typeof req.query.key === 'string' ? req.query.key : '';
    if (!deps.config.widgetKeys.includes(key)) throw invalid('unknown_key', 'unknown widget key');
    const branding = await loadBranding(deps.store);
    const cutoff = Date.now() - PRESENCE_WINDOW_MS;
    const team = (await deps.store.agents.list())
      .filter((a) => a.presence === 'online' && a.lastSeenAt !== null && Date.parse(a.lastSeenAt) >= cutoff && !a.email.endsWith('.invalid'))
      .slice(0, 3)
      .map((a) => ({ name: a.name.split(/\s+/)[0] ?? a.name }));
    // Short cache: a branding change reaches every page within a minute, without a new snippet.
    res.setHeader('Cache-Control', 'public, max-age=30');
    // A few starting points for the empty conversation, in the visitor's language first (the widget sends its locale).
    const locale = typeof req.query.locale === 'string' ? req.query.locale.slice(0, 10) : '';
    const viewed = (await deps.store.ui.mostViewed(POPULAR * 2)).map((v) => v.articleId);
    const popular = popularArticles(deps.articles(), viewed, locale, POPULAR).map((a) => ({ id: a.id, title: a.title, url: deps.articlePath(a.id) }));
    // The header's name until Settings names the team: one default for every page (TEAM_NAME / EMAIL_FROM).
    res.json({ branding, defaultTeamName: deps.config.teamName, team: branding.showPresence ? team : [], popular });
  });
  return router;
}

/** Console: branding settings, canned-response edits, the agent's typing indicator. */
export function uiRoutes(deps: UiRouteDeps): Router {
  const { store, requireAgent, bus } = deps;
  const router = Router();
  // Scoped to this router's paths: it is mounted on /api, and a parser for everything would take
  // bodies meant for other routers (the knowledge editor's are far larger).
  router.use(['/settings', '/canned', '/tickets/:id/typing'], jsonBodyAfterAuth({ limit: '32kb' }));

  router.get('/settings/branding', requireAgent(), async (_req, res) => {
    res.json({ branding: await loadBranding(store) });
  });

  router.put('/settings/branding', requireAgent('admin'), async (req, res) => {
    const branding = brandingSchema.parse(req.body);
    await store.ui.setSetting('branding', branding);
    res.json({ branding });
  });

  router.put('/canned/:id', requireAgent(), async (req, res) => {
    const body = z.object({ title: z.string().trim().min(1).max(80), body: z.string().trim().min(1).max(4000) }).parse(req.body);
    const updated = await store.ui.updateCanned(req.params.id as string, body);
    if (!updated) throw notFound('canned response', req.params.id as string);
    res.json({ response: updated });
  });

  /** The agent is typing a reply: the customer's widget shows "Alex is typing…". */
  router.post('/tickets/:id/typing', requireAgent(), async (req, res) => {
    const ticket = await store.tickets.get(req.params.id as string);
    if (!ticket) throw notFound('ticket', req.params.id as string);
    const agent = res.locals.agent!;
    bus.publish({ type: 'typing', conversationId: ticket.conversationId, author: 'agent', name: agent.name });
    res.status(204).end();
  });

  return router;
}
