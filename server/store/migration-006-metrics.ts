import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from './open';

/**
 * Metrics (issue 17): one roll-up row per conversation, maintained from the event log, so the
 * dashboard aggregates 100,000 rows instead of loading a million events; a leased row per
 * scheduled job (idle close, roll-up), so exactly one instance runs it at a time; settings
 * the console changes (which surveys are asked).
 */
export function metricsMigration(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('conversation_facts')
        .addColumn('conversation_id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        // The customer across channels: their email when known, else the customer id.
        .addColumn('person_key', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        // confirmed | assumed | escalated | abandoned | open (server/domain/resolution.ts)
        .addColumn('outcome', 'text', (c) => c.notNull())
        // 1 when the conversation ended resolved (confirmed, assumed, or resolved by an agent).
        .addColumn('resolved', 'integer', (c) => c.notNull())
        .addColumn('reopened', 'integer', (c) => c.notNull())
        .addColumn('answered', 'integer', (c) => c.notNull())
        .addColumn('article_id', 'text')
        .addColumn('intent', 'text')
        // article:<id> or intent:<id> of the bot's last answer: "the same topic" for FCR.
        .addColumn('topic', 'text')
        .addColumn('agent_id', 'text')
        .addColumn('language', 'text', (c) => c.notNull())
        // FCR: a later conversation of the same person within the window (same topic and
        // channel / another channel), kept up to date as later conversations are folded.
        .addColumn('window_end', 'text', (c) => c.notNull())
        .addColumn('repeat_followup', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('switch_followup', 'integer', (c) => c.notNull().defaultTo(0))
        // Survey answers and the ticket's times, copied so the dashboard reads one table.
        .addColumn('ces', 'integer')
        .addColumn('csat', 'integer')
        .addColumn('nps', 'integer')
        .addColumn('human_involved', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('ticket_id', 'text')
        .addColumn('first_response_due_at', 'text')
        .addColumn('first_response_at', 'text')
        .addColumn('first_response_ms', 'bigint')
        .addColumn('resolution_ms', 'bigint')
        .addColumn('last_event_id', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('facts_started').on('conversation_facts').columns(['started_at']).execute();
      await db.schema.createIndex('facts_person').on('conversation_facts').columns(['person_key', 'started_at']).execute();
      // The roll-up finds what changed since its watermark; the idle-close job finds idle bot conversations.
      await db.schema.createIndex('events_created').on('events').columns(['created_at']).execute();
      await db.schema.createIndex('conversations_state_updated').on('conversations').columns(['state', 'updated_at']).execute();
      // Agent workload reads only agent events: a partial, covering index costs bot events nothing.
      await db.schema
        .createIndex('events_agent_work')
        .on('events')
        .columns(['type', 'created_at', 'agent_id'])
        .where(sql.ref('agent_id'), 'is not', null)
        .execute();

      await db.schema
        .createTable('jobs')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'text', (c) => c.notNull())
        // The roll-up's watermark: events created from here on (minus a margin) are folded again.
        .addColumn('watermark', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
