import { z } from 'zod';
import { notFound } from '../../domain/errors';
import { toCsv } from '../../metrics/csv';
import { loadMetrics, METRICS_TABLES, metricsTables } from '../../routes/metrics';
import { positionOf } from '../../store/api-reads';
import { decodePosition, pageOf } from '../cursor';
import { presentSurvey } from '../present';
import { CsvResult, op } from '../registry';
import { ChannelName, listQuery, Metrics, page, Survey } from '../schemas';
import type { ApiDeps } from './deps';

const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD');
const range = { from: DAY.optional().meta({ description: 'First day (UTC), default a week before `to`.' }), to: DAY.optional().meta({ description: 'Last day (UTC), default today.' }), channel: ChannelName.optional() };
const dayStart = (d: string) => new Date(`${d}T00:00:00.000Z`).toISOString();

export const reportOperations = ({ store, bundle, config }: ApiDeps) => {
  const metricsDeps = { store, bundle, surveyDefaults: { csat: config.csat.enabled, ...config.surveys } };
  return [
    op({
      method: 'get',
      path: '/surveys',
      operationId: 'listSurveys',
      summary: 'CES answers (with CSAT when asked), newest first',
      tag: 'Reports',
      scope: 'read',
      query: z.object({ ...listQuery, ...range }),
      response: page(Survey),
      handle: async ({ query }) => {
        const rows = await store.apiReads.surveys(decodePosition(query.cursor), query.limit + 1, {
          ...(query.from ? { from: dayStart(query.from) } : {}),
          ...(query.to ? { to: new Date(Date.parse(dayStart(query.to)) + 86_400_000).toISOString() } : {}),
          ...(query.channel ? { channel: query.channel } : {}),
        });
        return pageOf(rows, query.limit, presentSurvey, positionOf);
      },
    }),
    op({
      method: 'get',
      path: '/metrics',
      operationId: 'getMetrics',
      summary: 'The dashboard figures for a date range',
      tag: 'Reports',
      scope: 'read',
      query: z.object(range),
      response: Metrics,
      handle: ({ query }) => loadMetrics(metricsDeps, query),
    }),
    op({
      method: 'get',
      path: '/metrics/{table}.csv',
      operationId: 'getMetricsCsv',
      summary: `A dashboard table as CSV (${METRICS_TABLES.join(', ')})`,
      tag: 'Reports',
      scope: 'read',
      query: z.object(range),
      response: 'csv',
      handle: async ({ params, query }) => {
        // An own key only: "constructor", "toString" or "__proto__" name no table (404, never a 500).
        if (!METRICS_TABLES.includes(params.table!)) throw notFound('table', params.table!);
        const m = await loadMetrics(metricsDeps, query);
        const table = metricsTables(m)[params.table!]!;
        return new CsvResult(`answerdesk-${params.table!}-${m.range.from}-${m.range.to}.csv`, toCsv(table));
      },
    }),
  ];
};
