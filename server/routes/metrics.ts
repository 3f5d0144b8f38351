import { Router } from 'express';
import { z } from 'zod';
import type { KnowledgeBundle } from '../../bot/knowledge-bundle';
import type { RequireAgent } from '../auth/agent-auth';
import { invalid } from '../domain/errors';
import { computeMetrics, type Metrics } from '../metrics/compute';
import { toCsv } from '../metrics/csv';
import { draftArticle } from '../metrics/draft';
import type { Store } from '../store/types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const query = z.object({
  from: z.string().regex(DATE, 'from is YYYY-MM-DD').optional(),
  to: z.string().regex(DATE, 'to is YYYY-MM-DD').optional(),
  channel: z.enum(['web', 'slack', 'msteams', 'email']).optional(),
});
const MAX_RANGE_DAYS = 366;

/** Dashboard data for a date range (inclusive days, UTC) and an optional channel. */
export function metricsRoutes(deps: { store: Store; requireAgent: RequireAgent; bundle: () => KnowledgeBundle; csatEnabled?: boolean }): Router {
  const { store, requireAgent } = deps;
  const router = Router();

  const load = async (raw: unknown): Promise<Metrics> => {
    const q = query.parse(raw);
    const toDay = q.to ?? new Date().toISOString().slice(0, 10);
    const fromDay = q.from ?? new Date(Date.parse(toDay) - 6 * 86_400_000).toISOString().slice(0, 10);
    const from = new Date(`${fromDay}T00:00:00.000Z`).toISOString();
    const to = new Date(Date.parse(`${toDay}T00:00:00.000Z`) + 86_400_000).toISOString();
    if (Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to)) || from >= to) throw invalid('invalid_range', '"from" must be on or before "to"');
    if (Date.parse(to) - Date.parse(from) > MAX_RANGE_DAYS * 86_400_000) throw invalid('invalid_range', `at most ${MAX_RANGE_DAYS} days at a time`);
    const channel = q.channel;
    const [events, tickets, surveys, feedback, agents] = await Promise.all([
      store.events.list({ from, to, ...(channel ? { channel } : {}) }),
      store.tickets.list({ createdFrom: from, createdTo: to, limit: 10_000, ...(channel ? { channel } : {}) }),
      store.surveys.list({ from, to, ...(channel ? { channel } : {}) }),
      store.surveys.articleFeedbackCounts({ from, to }),
      store.agents.list(),
    ]);
    return computeMetrics({
      range: { from: fromDay, to: toDay },
      events,
      tickets,
      surveys,
      feedback,
      agentNames: new Map(agents.map((a) => [a.id, a.name])),
      articleTitles: new Map(deps.bundle().kb.articles.map((a) => [a.id, a.title])),
      csatEnabled: deps.csatEnabled ?? false,
    });
  };

  router.get('/metrics', requireAgent(), async (req, res) => {
    res.json(await load(req.query));
  });

  router.get('/metrics/:table.csv', requireAgent(), async (req, res) => {
    const m = await load(req.query);
    const s = m.summary;
    const tables: Record<string, Record<string, unknown>[]> = {
      summary: [
        {
          from: m.range.from,
          to: m.range.to,
          conversations: s.conversations,
          selfServiceRate: s.selfServiceRate,
          escalationRate: s.escalationRate,
          firstContactResolutionRate: s.firstContactResolutionRate,
          cesAverage: s.ces.average,
          cesCount: s.ces.count,
          cesBotOnlyAverage: s.ces.botOnlyAverage,
          cesWithPersonAverage: s.ces.withPersonAverage,
          csatCount: s.csat.count,
          csatAverage: s.csat.average,
          csatSatisfiedRate: s.csat.satisfiedRate,
          csatBotOnlyAverage: s.csat.botOnly.average,
          csatBotOnlySatisfiedRate: s.csat.botOnly.satisfiedRate,
          csatWithPersonAverage: s.csat.withPerson.average,
          csatWithPersonSatisfiedRate: s.csat.withPerson.satisfiedRate,
          firstResponseMedianMs: s.firstResponse.medianMs,
          firstResponseP90Ms: s.firstResponse.p90Ms,
          resolutionMedianMs: s.resolution.medianMs,
          resolutionP90Ms: s.resolution.p90Ms,
          slaBreaches: s.slaBreaches,
        },
      ],
      ces: s.ces.distribution.map((count, i) => ({ score: i + 1, count })),
      csat: s.csat.distribution.map((count, i) => ({ score: i + 1, count })),
      daily: m.daily,
      agents: m.agents,
      articles: m.articles,
      unanswered: m.unanswered.map((u) => ({ text: u.text, count: u.count, examples: u.examples })),
    };
    const table = tables[req.params.table as string];
    if (!table) throw invalid('unknown_table', `table must be one of ${Object.keys(tables).join(', ')}`);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="answerdesk-${req.params.table as string}-${m.range.from}-${m.range.to}.csv"`);
    res.send(toCsv(table));
  });

  router.get('/articles/draft', requireAgent(), (req, res) => {
    const q = z.object({ q: z.string().trim().min(1).max(500), examples: z.string().max(20_000).optional() }).parse(req.query);
    let examples: string[] = [q.q];
    if (q.examples) {
      try {
        const parsed = z.array(z.string().max(500)).max(50).parse(JSON.parse(q.examples));
        examples = parsed.length ? parsed : examples;
      } catch {
        throw invalid('invalid_examples', 'examples must be a JSON array of strings');
      }
    }
    res.json(draftArticle(q.q, examples));
  });

  return router;
}
