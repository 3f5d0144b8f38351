import { type RawBuilder, sql } from 'kysely';
import type { DrillFigure } from '../domain/resolution';
import type { Dialect } from '../store/open';
import { attributeText } from './dialect-sql';

/** Which conversations a figure is about: started in [from, to) (ISO instants), in a segment. */
export interface MetricsQuery {
  from: string;
  to: string;
  segment: Segment;
}

/** Every filter is optional; together they narrow (AND). */
export interface Segment {
  channel?: string;
  /** A customer attribute the site sends (`plan=Business`), compared as text. */
  attribute?: { key: string; value: string };
  article?: string;
  intent?: string;
  /** The agent the conversation was last assigned to. */
  agent?: string;
  language?: string;
}

/**
 * The FROM … WHERE shared by every figure and its drill-down list: the per-conversation
 * roll-up `f` (and the customer `cu` when asked for). A number and the list behind it are the
 * same predicate over the same rows.
 */
export function factsFrom(dialect: Dialect, q: MetricsQuery, options: { customer?: boolean } = {}): RawBuilder<unknown> {
  const seg = q.segment;
  const where: RawBuilder<unknown>[] = [sql`f.started_at >= ${q.from}`, sql`f.started_at < ${q.to}`];
  if (seg.channel) where.push(sql`f.channel = ${seg.channel}`);
  if (seg.article) where.push(sql`f.article_id = ${seg.article}`);
  if (seg.intent) where.push(sql`f.intent = ${seg.intent}`);
  if (seg.agent) where.push(sql`f.agent_id = ${seg.agent}`);
  if (seg.language) where.push(sql`f.language = ${seg.language}`);
  // A semi-join: the attribute is read once per customer, not once per conversation.
  if (seg.attribute) {
    where.push(sql`f.customer_id in (select a.id from customers a where ${attributeText(dialect, sql.ref('a.attributes'), seg.attribute.key)} = ${seg.attribute.value})`);
  }
  const join = options.customer ? sql`left join customers cu on cu.id = f.customer_id` : sql``;
  return sql`conversation_facts f ${join} where ${sql.join(where, sql` and `)}`;
}

/** Each drill-down figure as a condition on one roll-up row (see server/domain/resolution.ts). */
export function figurePredicate(figure: DrillFigure, nowIso: string): RawBuilder<boolean> {
  switch (figure) {
    case 'conversations':
      return sql<boolean>`1 = 1`;
    case 'confirmed':
    case 'assumed':
    case 'escalated':
    case 'abandoned':
    case 'open':
      return sql<boolean>`f.outcome = ${figure}`;
    case 'selfService':
      return sql<boolean>`f.outcome in ('confirmed', 'assumed')`;
    case 'fcr':
      return sql<boolean>`(f.resolved = 1 and f.reopened = 0 and f.repeat_followup = 0 and f.switch_followup = 0)`;
    case 'fcrReopened':
      return sql<boolean>`(f.resolved = 1 and f.reopened = 1)`;
    case 'fcrRepeat':
      return sql<boolean>`(f.resolved = 1 and f.repeat_followup = 1)`;
    case 'fcrSwitch':
      return sql<boolean>`(f.resolved = 1 and f.switch_followup = 1)`;
    case 'ces':
      return sql<boolean>`f.ces is not null`;
    case 'csat':
      return sql<boolean>`f.csat is not null`;
    case 'nps':
      return sql<boolean>`f.nps is not null`;
    case 'firstResponse':
      return sql<boolean>`f.first_response_ms is not null`;
    case 'resolution':
      return sql<boolean>`f.resolution_ms is not null`;
    case 'slaBreaches':
      return sql<boolean>`(f.ticket_id is not null and coalesce(f.first_response_at, ${nowIso}) > f.first_response_due_at)`;
  }
}

/** COUNT of the rows a predicate holds for, portable (no FILTER clause in older SQLite). */
export const countWhere = (p: RawBuilder<boolean>) => sql<number>`sum(case when ${p} then 1 else 0 end)`;
