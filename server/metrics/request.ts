import { z } from 'zod';
import { invalid } from '../domain/errors';
import { ATTRIBUTE_KEY } from './dialect-sql';
import type { Segment } from './query';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_RANGE_DAYS = 366;
const value = z.string().trim().min(1).max(200);

/** The dashboard's query string: a range of inclusive UTC days and the segment filters. */
const schema = z.object({
  from: z.string().regex(DATE, 'from is YYYY-MM-DD').optional(),
  to: z.string().regex(DATE, 'to is YYYY-MM-DD').optional(),
  channel: z.enum(['web', 'slack', 'msteams', 'email']).optional(),
  /** `plan=Business`: any attribute key the site sends, and the value to match. */
  attr: z
    .string()
    .max(300)
    .regex(/^[^=]+=.+$/, 'attr is key=value')
    .refine((s) => ATTRIBUTE_KEY.test(s.slice(0, s.indexOf('='))), 'attribute keys are letters, digits, _ . - (up to 64)')
    .optional(),
  article: value.optional(),
  intent: value.optional(),
  agent: value.optional(),
  language: z.string().regex(/^[a-z]{2,3}$/, 'language is an ISO 639 code such as en').optional(),
});

export interface DashboardRequest {
  range: { from: string; to: string };
  segment: Segment;
}

export function parseDashboardQuery(raw: unknown, today = new Date()): DashboardRequest {
  const q = schema.parse(typeof raw === 'object' && raw !== null ? pick(raw as Record<string, unknown>) : {});
  const to = q.to ?? today.toISOString().slice(0, 10);
  const from = q.from ?? new Date(Date.parse(to) - 6 * 86_400_000).toISOString().slice(0, 10);
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  const toMs = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(fromMs) || Number.isNaN(toMs) || fromMs > toMs) throw invalid('invalid_range', '"from" must be a real date on or before "to"');
  if (toMs - fromMs >= MAX_RANGE_DAYS * 86_400_000) throw invalid('invalid_range', `at most ${MAX_RANGE_DAYS} days at a time`);
  const segment: Segment = {};
  if (q.channel) segment.channel = q.channel;
  if (q.attr) segment.attribute = { key: q.attr.slice(0, q.attr.indexOf('=')), value: q.attr.slice(q.attr.indexOf('=') + 1) };
  if (q.article) segment.article = q.article;
  if (q.intent) segment.intent = q.intent;
  if (q.agent) segment.agent = q.agent;
  if (q.language) segment.language = q.language;
  return { range: { from, to }, segment };
}

/** Only the known keys, each a single string (a repeated parameter is refused rather than guessed). */
function pick(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(schema.shape)) {
    if (!Object.hasOwn(raw, key) || raw[key] === '') continue;
    out[key] = raw[key];
  }
  return out;
}
