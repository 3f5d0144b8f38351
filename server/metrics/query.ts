import { type RawBuilder, sql } from 'kysely';
import { type DrillFigure, FCR_WINDOW_DAYS } from '../domain/resolution';
import type { Dialect } from '../store/open';
import { attributeText, plusDays } from './dialect-sql';

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
 * The FROM … WHERE shared by every figure and its drill-down list, over the per-conversation
 * roll-up `f`, with the CES/CSAT survey `s`, the NPS answer `n` and the ticket `t` alongside.
 * A number and the list behind it are the same predicate over the same rows.
 */
export function factsFrom(dialect: Dialect, q: MetricsQuery): RawBuilder<unknown> {
  const seg = q.segment;
  const where: RawBuilder<unknown>[] = [sql`f.started_at >= ${q.from}`, sql`f.started_at < ${q.to}`];
  if (seg.channel) where.push(sql`f.channel = ${seg.channel}`);
  if (seg.article) where.push(sql`f.article_id = ${seg.article}`);
  if (seg.intent) where.push(sql`f.intent = ${seg.intent}`);
  if (seg.agent) where.push(sql`f.agent_id = ${seg.agent}`);
  if (seg.language) where.push(sql`f.language = ${seg.language}`);
  if (seg.attribute) where.push(sql`${attributeText(dialect, sql.ref('cu.attributes'), seg.attribute.key)} = ${seg.attribute.value}`);
  return sql`conversation_facts f
    left join customers cu on cu.id = f.customer_id
    left join surveys s on s.conversation_id = f.conversation_id and s.kind = 'ces'
    left join surveys n on n.conversation_id = f.conversation_id and n.kind = 'nps'
    left join tickets t on t.conversation_id = f.conversation_id
    where ${sql.join(where, sql` and `)}`;
}

/** A later conversation of the same customer within the FCR window, `same` or another channel. */
function followUp(dialect: Dialect, otherChannel: boolean): RawBuilder<boolean> {
  const channel = otherChannel ? sql`g.channel <> f.channel` : sql`g.channel = f.channel and (g.topic is null or f.topic is null or g.topic = f.topic)`;
  return sql<boolean>`exists (select 1 from conversation_facts g
    where g.person_key = f.person_key and g.started_at > f.started_at and g.started_at <= ${plusDays(dialect, sql.ref('f.started_at'), FCR_WINDOW_DAYS)}
      and g.conversation_id <> f.conversation_id and ${channel})`;
}

/** Each drill-down figure as a condition on one row of factsFrom (see server/domain/resolution.ts). */
export function figurePredicate(dialect: Dialect, figure: DrillFigure, nowIso: string): RawBuilder<boolean> {
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
      return sql<boolean>`(f.resolved = 1 and f.reopened = 0 and not ${followUp(dialect, false)} and not ${followUp(dialect, true)})`;
    case 'fcrReopened':
      return sql<boolean>`(f.resolved = 1 and f.reopened = 1)`;
    case 'fcrRepeat':
      return sql<boolean>`(f.resolved = 1 and ${followUp(dialect, false)})`;
    case 'fcrSwitch':
      return sql<boolean>`(f.resolved = 1 and ${followUp(dialect, true)})`;
    case 'ces':
      return sql<boolean>`s.score is not null`;
    case 'csat':
      return sql<boolean>`s.csat is not null`;
    case 'nps':
      return sql<boolean>`n.score is not null`;
    case 'slaBreaches':
      return sql<boolean>`(t.id is not null and coalesce(t.first_response_at, ${nowIso}) > t.first_response_due_at)`;
  }
}

/** COUNT of the rows a predicate holds for, portable (no FILTER clause in older SQLite). */
export const countWhere = (p: RawBuilder<boolean>) => sql<number>`sum(case when ${p} then 1 else 0 end)`;
