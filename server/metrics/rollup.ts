import { type Kysely, sql } from 'kysely';
import { AUTO_CLOSED_EVENT, BOT_RECORD_EVENTS } from '../domain/resolution';
import type { Dialect } from '../store/open';
import type { Database } from '../store/schema';
import { jsonText } from './dialect-sql';

/**
 * The per-conversation roll-up (`conversation_facts`), folded from the event log in SQL: the
 * dashboard then aggregates one row per conversation instead of every event. Folding is
 * idempotent (each touched conversation is recomputed from all its events) and guarded by the
 * newest event id it saw, so two instances folding at once never put an older picture back.
 *
 * `since` limits the work to conversations with an event created at or after it; null folds all.
 */
export async function foldFacts(db: Kysely<Database>, dialect: Dialect, since: string | null): Promise<number> {
  const data = sql.ref('e.data');
  const touched = since === null ? sql`` : sql`and e.conversation_id in (select t.conversation_id from events t where t.created_at >= ${since} and t.conversation_id is not null)`;
  const botRecords = sql.join(BOT_RECORD_EVENTS.map((t) => sql.lit(t)));
  const answer = sql.ref('b.answer');
  const result = await sql`
    insert into conversation_facts (conversation_id, customer_id, person_key, channel, started_at, day, outcome, resolved, reopened, answered,
      article_id, intent, topic, agent_id, language, last_event_id)
    select b.cid, c.customer_id, coalesce(lower(cu.email), c.customer_id), c.channel, b.started_at, substr(b.started_at, 1, 10),
      case when b.escalated = 1 then 'escalated'
           when b.bot_resolved = 1 then 'confirmed'
           when b.auto_outcome is not null then b.auto_outcome
           else 'open' end,
      case when b.escalated = 0 and (b.bot_resolved = 1 or b.auto_outcome = 'assumed') then 1
           when b.escalated = 1 and c.state = 'resolved' then 1
           else 0 end,
      b.reopened, b.answered,
      case when ${jsonText(dialect, answer, ['ref', 'kind'])} = 'article' then ${jsonText(dialect, answer, ['ref', 'id'])} end,
      case when ${jsonText(dialect, answer, ['ref', 'kind'])} = 'intent' then ${jsonText(dialect, answer, ['ref', 'id'])} end,
      ${jsonText(dialect, answer, ['ref', 'kind'])} || ':' || ${jsonText(dialect, answer, ['ref', 'id'])},
      b.agent_id, coalesce(b.language, 'en'), b.last_id
    from (
      select a.*,
        (select x.data from events x where x.conversation_id = a.cid and x.type = 'bot_answered' order by x.id desc limit 1) as answer,
        (select x.agent_id from events x where x.conversation_id = a.cid and x.type = 'assigned' order by x.id desc limit 1) as agent_id
      from (
        select e.conversation_id as cid,
          min(case when e.type = 'conversation_started' then e.created_at end) as started_at,
          max(case when e.type = 'escalated' then 1 else 0 end) as escalated,
          max(case when e.type = 'resolved' and ${jsonText(dialect, data, ['by'])} = 'bot' then 1 else 0 end) as bot_resolved,
          max(case when e.type = ${AUTO_CLOSED_EVENT} then ${jsonText(dialect, data, ['outcome'])} end) as auto_outcome,
          max(case when e.type = 'reopened' then 1 else 0 end) as reopened,
          max(case when e.type = 'bot_answered' then 1 else 0 end) as answered,
          max(case when e.type in (${botRecords}) then ${jsonText(dialect, data, ['language'])} end) as language,
          max(e.id) as last_id
        from events e
        where e.conversation_id is not null ${touched}
        group by e.conversation_id
      ) a
      where a.started_at is not null
    ) b
    join conversations c on c.id = b.cid
    left join customers cu on cu.id = c.customer_id
    where true
    on conflict (conversation_id) do update set
      customer_id = excluded.customer_id, person_key = excluded.person_key, channel = excluded.channel,
      started_at = excluded.started_at, day = excluded.day, outcome = excluded.outcome, resolved = excluded.resolved,
      reopened = excluded.reopened, answered = excluded.answered, article_id = excluded.article_id, intent = excluded.intent,
      topic = excluded.topic, agent_id = excluded.agent_id, language = excluded.language, last_event_id = excluded.last_event_id
    where excluded.last_event_id >= conversation_facts.last_event_id`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
