import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../store/open';
import type { Database } from '../store/schema';
import { jsonText } from './dialect-sql';
import { countWhere, factsFrom, type MetricsQuery } from './query';

/**
 * The dashboard's tables. Agent work and article votes are counted when they happened (in the
 * range), for conversations in the segment; the segment is a join on the roll-up row.
 */
const segmentJoin = (dialect: Dialect, q: MetricsQuery, column: string) => {
  // The range applies to when the work happened, so the conversation may have started earlier.
  const unbounded = { ...q, from: '0000', to: '9999' };
  return sql`join (select f.conversation_id from ${factsFrom(dialect, unbounded)}) seg on seg.conversation_id = ${sql.ref(column)}`;
};
const hasSegment = (q: MetricsQuery) => Object.values(q.segment).some((v) => v !== undefined);

export async function agentWork(db: Kysely<Database>, dialect: Dialect, q: MetricsQuery) {
  const join = hasSegment(q) ? segmentJoin(dialect, q, 'e.conversation_id') : sql``;
  const { rows } = await sql<Record<string, unknown>>`
    select e.agent_id as agent_id, ${countWhere(sql`e.type = 'assigned'`)} as assigned, ${countWhere(sql`e.type = 'resolved'`)} as resolved,
      ${countWhere(sql`e.type = 'agent_reply'`)} as replies
    from events e ${join}
    where e.type in ('assigned', 'resolved', 'agent_reply') and e.agent_id is not null and e.created_at >= ${q.from} and e.created_at < ${q.to}
    group by e.agent_id`.execute(db);
  return rows.map((r) => ({ agentId: String(r.agent_id), assigned: Number(r.assigned), resolved: Number(r.resolved), replies: Number(r.replies) }));
}

export async function articleVotes(db: Kysely<Database>, dialect: Dialect, q: MetricsQuery) {
  const join = hasSegment(q) ? segmentJoin(dialect, q, 'a.conversation_id') : sql``;
  const { rows } = await sql<Record<string, unknown>>`
    select a.article_id as article_id, ${countWhere(sql`a.helpful = 1`)} as helpful, ${countWhere(sql`a.helpful = 0`)} as not_helpful
    from article_feedback a ${join}
    where a.created_at >= ${q.from} and a.created_at < ${q.to}
    group by a.article_id`.execute(db);
  return rows.map((r) => ({ articleId: String(r.article_id), helpful: Number(r.helpful), notHelpful: Number(r.not_helpful) }));
}

/** The newest questions the bot could not answer (bounded: grouping them by wording happens in JS). */
export async function fallbackTexts(db: Kysely<Database>, dialect: Dialect, q: MetricsQuery, limit: number): Promise<string[]> {
  const join = hasSegment(q) ? segmentJoin(dialect, q, 'e.conversation_id') : sql``;
  const { rows } = await sql<{ text: string | null }>`
    select ${jsonText(dialect, sql.ref('e.data'), ['text'])} as text from events e ${join}
    where e.type = 'bot_fallback' and e.created_at >= ${q.from} and e.created_at < ${q.to}
    order by e.created_at desc limit ${limit}`.execute(db);
  return rows.map((r) => r.text ?? '');
}
