import express, { Router } from 'express';
import { z } from 'zod';
import type { KnowledgeBundle } from '../../bot/knowledge-bundle';
import type { RequireAgent } from '../auth/agent-auth';
import { invalid, notFound } from '../domain/errors';
import { DEFINITIONS, DRILL_FIGURES, isDrillFigure } from '../domain/resolution';
import { visibleToCustomer } from '../domain/transcript';
import { csvTables } from '../metrics/csv-tables';
import { buildDashboard, dayRange, type Metrics } from '../metrics/dashboard';
import { toCsv } from '../metrics/csv';
import { parseDashboardQuery } from '../metrics/request';
import { saveSurveySettings, type SurveySettings, surveySettings, surveySettingsPatch } from '../metrics/survey-settings';
import type { Store } from '../store/types';

const DRILL_PAGE = 50;

export interface MetricsDeps {
  store: Store;
  bundle: () => KnowledgeBundle;
  surveyDefaults: SurveySettings;
}

/** The dashboard figures for a query (range and segment): also served by /api/v1/metrics. */
export async function loadMetrics(deps: MetricsDeps, raw: unknown): Promise<Metrics> {
  const { store } = deps;
  const { range, segment } = parseDashboardQuery(raw);
  const [agents, surveys] = await Promise.all([store.agents.list(), surveySettings(store, deps.surveyDefaults)]);
  return buildDashboard(store, {
    range,
    segment,
    surveys: { csat: surveys.csat, nps: surveys.nps },
    agentNames: new Map(agents.map((a) => [a.id, a.name])),
    articleTitles: new Map(deps.bundle().kb.articles.map((a) => [a.id, a.title])),
  });
}

/** The CSV exports' names. */
export const METRICS_TABLES = Object.keys(csvTables());

/** The CSV exports of one dashboard, by name. */
export function metricsTables(m: Metrics): Record<string, Record<string, unknown>[]> {
  return Object.fromEntries(Object.entries(csvTables()).map(([name, table]) => [name, table(m)]));
}

/** Dashboard data, drill-down lists and CSV exports for a date range (inclusive days, UTC) and a segment. */
export function metricsRoutes(deps: MetricsDeps & { requireAgent: RequireAgent }): Router {
  const { store, requireAgent } = deps;
  const router = Router();
  const load = (raw: unknown) => loadMetrics(deps, raw);

  router.get('/metrics', requireAgent(), async (req, res) => {
    res.json(await load(req.query));
  });

  router.get('/metrics/definitions', requireAgent(), (_req, res) => {
    res.json(DEFINITIONS);
  });

  /** The conversations behind a figure, newest first, 50 a page. */
  router.get('/metrics/conversations', requireAgent(), async (req, res) => {
    const { range, segment } = parseDashboardQuery(req.query);
    const page = z
      .object({ figure: z.string().max(40), offset: z.coerce.number().int().min(0).max(10_000_000).default(0) })
      .parse({ figure: req.query.figure, offset: req.query.offset ?? undefined });
    if (!isDrillFigure(page.figure)) throw invalid('unknown_figure', `figure must be one of ${DRILL_FIGURES.join(', ')}`);
    await store.metrics.refresh();
    res.json(await store.metrics.drillDown({ ...dayRange(range.from, range.to), segment }, page.figure, { offset: page.offset, limit: DRILL_PAGE }));
  });

  /** One conversation's transcript as the customer saw it (bot-only conversations have no ticket to open). */
  router.get('/metrics/conversations/:id', requireAgent(), async (req, res) => {
    const id = String(req.params.id);
    const conversation = /^[\w-]{1,64}$/.test(id) ? await store.conversations.get(id) : undefined;
    if (!conversation) throw notFound('conversation', id);
    const [messages, ticket, customer] = await Promise.all([
      store.conversations.listMessages(id, 0, 500),
      store.tickets.byConversation(id),
      store.customers.get(conversation.customerId),
    ]);
    res.json({
      conversation: { id, channel: conversation.channel, state: conversation.state, createdAt: conversation.createdAt, resolvedAt: conversation.resolvedAt },
      customer: customer ? { name: customer.name, email: customer.email, attributes: customer.attributes } : null,
      ticketId: ticket?.id ?? null,
      messages: messages.filter(visibleToCustomer),
    });
  });

  router.get('/metrics/:table.csv', requireAgent(), async (req, res) => {
    const name = String(req.params.table);
    const tables = csvTables();
    // An own key only: "constructor", "toString" or "__proto__" are not tables (404, never a 500).
    if (!Object.hasOwn(tables, name)) throw notFound('table', name);
    const m = await load(req.query);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="answerdesk-${name}-${m.range.from}-${m.range.to}.csv"`);
    res.send(toCsv(tables[name]!(m)));
  });

  router.get('/settings/surveys', requireAgent(), async (_req, res) => {
    res.json(await surveySettings(store, deps.surveyDefaults));
  });

  router.patch('/settings/surveys', requireAgent('admin'), express.json({ limit: '4kb' }), async (req, res) => {
    res.json(await saveSurveySettings(store, deps.surveyDefaults, surveySettingsPatch.parse(req.body ?? {})));
  });

  return router;
}
