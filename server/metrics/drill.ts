import { type Kysely, sql } from 'kysely';
import type { DrillFigure, Outcome } from '../domain/resolution';
import type { Dialect } from '../store/open';
import type { Database } from '../store/schema';
import { factsFrom, figurePredicate, type MetricsQuery } from './query';

/** One conversation behind a figure, with what the list shows and the ticket to open it by. */
export interface DrillRow {
  conversationId: string;
  startedAt: string;
  channel: string;
  outcome: Outcome;
  customerName: string | null;
  customerEmail: string | null;
  articleId: string | null;
  intent: string | null;
  agentId: string | null;
  language: string;
  ces: number | null;
  csat: number | null;
  nps: number | null;
  ticketId: string | null;
}

export interface DrillPage {
  figure: DrillFigure;
  total: number;
  offset: number;
  rows: DrillRow[];
}

const opt = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The conversations a figure counts, newest first, a page at a time (the total is the figure itself). */
export async function drillDown(db: Kysely<Database>, dialect: Dialect, q: MetricsQuery, figure: DrillFigure, page: { offset: number; limit: number }, nowIso: string): Promise<DrillPage> {
  const predicate = figurePredicate(figure, nowIso);
  const [total, list] = await Promise.all([
    sql<{ n: number }>`select count(*) as n from ${factsFrom(dialect, q)} and ${predicate}`.execute(db),
    sql<Record<string, unknown>>`
      select f.conversation_id, f.started_at, f.channel, f.outcome, cu.name as customer_name, cu.email as customer_email, f.article_id, f.intent,
        f.agent_id, f.language, f.ces, f.csat, f.nps, f.ticket_id
      from ${factsFrom(dialect, q, { customer: true })} and ${predicate}
      order by f.started_at desc, f.conversation_id desc
      limit ${page.limit} offset ${page.offset}`.execute(db),
  ]);
  return {
    figure,
    total: Number(total.rows[0]?.n ?? 0),
    offset: page.offset,
    rows: list.rows.map((r) => ({
      conversationId: String(r.conversation_id),
      startedAt: String(r.started_at),
      channel: String(r.channel),
      outcome: r.outcome as Outcome,
      customerName: (r.customer_name as string | null) ?? null,
      customerEmail: (r.customer_email as string | null) ?? null,
      articleId: (r.article_id as string | null) ?? null,
      intent: (r.intent as string | null) ?? null,
      agentId: (r.agent_id as string | null) ?? null,
      language: String(r.language),
      ces: opt(r.ces),
      csat: opt(r.csat),
      nps: opt(r.nps),
      ticketId: (r.ticket_id as string | null) ?? null,
    })),
  };
}
