import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { metricsMigration } from './migration-006-metrics';
import { emailMigration } from './migration-004-email';
import { migration009Ui } from './migration-009-ui';
import { migration010Search } from './migration-010-search';
import type { Dialect } from './open';
import { apiMigration } from './migration-007-api';
import { knowledgeMigration } from './migration-005-knowledge';

/**
 * Schema migrations for both backends. Written with kysely's schema builder so one list
 * serves SQLite and PostgreSQL; only auto-increment columns differ.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
  return {
    '001_initial': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('customers')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('external_id', 'text')
          .addColumn('name', 'text')
          .addColumn('email', 'text')
          .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('page_url', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_seen_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('customers_external').unique().on('customers').columns(['channel', 'external_id']).execute();

        await db.schema
          .createTable('conversations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('bot_state', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('assignee_id', 'text')
          .addColumn('channel_ref', 'text')
          .addColumn('email', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('resolved_at', 'text')
          .execute();
        await db.schema.createIndex('conversations_customer').on('conversations').columns(['customer_id', 'created_at']).execute();
        await db.schema.createIndex('conversations_created').on('conversations').column('created_at').execute();

        await db.schema
          .createTable('messages')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('author_id', 'text')
          .addColumn('author_name', 'text')
          .addColumn('content', 'text', (c) => c.notNull())
          .addColumn('client_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        // The two guarantees of the transcript: no gaps or duplicates in seq, and a retried
        // send (same client id) is stored once.
        await db.schema.createIndex('messages_seq').unique().on('messages').columns(['conversation_id', 'seq']).execute();
        await db.schema.createIndex('messages_client').unique().on('messages').columns(['conversation_id', 'client_id']).execute();

        await db.schema
          .createTable('tickets')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('conversation_id', 'text', (c) => c.notNull().unique().references('conversations.id'))
          .addColumn('customer_id', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('priority', 'text', (c) => c.notNull())
          .addColumn('assignee_id', 'text')
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('attempts', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('first_response_due_at', 'text', (c) => c.notNull())
          .addColumn('first_response_at', 'text')
          .addColumn('resolved_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('tickets_status').on('tickets').columns(['status', 'created_at']).execute();

        await db.schema
          .createTable('events')
          .addColumn('id', serial as 'integer', (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text')
          .addColumn('ticket_id', 'text')
          .addColumn('channel', 'text')
          .addColumn('agent_id', 'text')
          .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('events_type_time').on('events').columns(['type', 'created_at']).execute();
        await db.schema.createIndex('events_conversation').on('events').column('conversation_id').execute();

        await db.schema
          .createTable('surveys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('conversation_id', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('score', 'integer', (c) => c.notNull())
          .addColumn('comment', 'text')
          .addColumn('article_id', 'text')
          .addColumn('intent', 'text')
          .addColumn('agent_id', 'text')
          .addColumn('human_involved', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('surveys_conversation_kind').unique().on('surveys').columns(['conversation_id', 'kind']).execute();

        await db.schema
          .createTable('article_feedback')
          .addColumn('id', serial as 'integer', (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
          .addColumn('article_id', 'text', (c) => c.notNull())
          .addColumn('helpful', 'integer', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('agents')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('presence', 'text', (c) => c.notNull().defaultTo('offline'))
          .addColumn('last_seen_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id'))
          .addColumn('csrf_token', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('canned_responses')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('processed_events')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('rate_limits')
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('window_start', 'bigint', (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('rate_limits_pk', ['key', 'window_start'])
          .execute();
      },
    },
    '002_survey_csat': {
      // The optional CSAT answer follows the CES answer of the same conversation, so it is a
      // column of that survey row (null: not asked, or not answered), checked by the database too.
      async up(db: Kysely<any>) {
        await db.schema
          .alterTable('surveys')
          .addColumn('csat', 'integer', (c) => c.check(sql`csat between 1 and 5`))
          .execute();
      },
    },
    '003_threads_links_outbox': {
      // Conversation scoping becomes an indexed lookup: (customer, thread key) → the newest
      // generation. The unique index makes "create the thread's conversation" race-free on both
      // backends: of two concurrent creators exactly one row is inserted.
      async up(db: Kysely<any>) {
        await db.schema.alterTable('conversations').addColumn('thread_key', 'text', (c) => c.notNull().defaultTo('')).execute();
        await db.schema.alterTable('conversations').addColumn('generation', 'integer', (c) => c.notNull().defaultTo(1)).execute();
        const rows = await db.selectFrom('conversations').select(['id', 'customer_id', 'channel', 'channel_ref']).orderBy('created_at').orderBy('id').execute();
        const generations = new Map<string, number>();
        for (const r of rows as { id: string; customer_id: string; channel: string; channel_ref: string | null }[]) {
          const key = legacyThreadKey(r);
          const generation = (generations.get(`${r.customer_id}|${key}`) ?? 0) + 1;
          generations.set(`${r.customer_id}|${key}`, generation);
          await db.updateTable('conversations').set({ thread_key: key, generation }).where('id', '=', r.id).execute();
        }
        await db.schema.createIndex('conversations_thread').unique().on('conversations').columns(['customer_id', 'thread_key', 'generation']).execute();

        await db.schema
          .createTable('conversation_links')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('conversation_id', 'text', (c) => c.notNull())
          .addColumn('ticket_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('outbox')
          .addColumn('id', serial as 'integer', (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text')
          .addColumn('message_id', 'text')
          .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'text', (c) => c.notNull())
          .addColumn('lease_owner', 'text')
          .addColumn('lease_until', 'text')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('done_at', 'text')
          .execute();
        await db.schema.createIndex('outbox_due').on('outbox').columns(['state', 'next_attempt_at']).execute();
        await db.schema.createIndex('outbox_conversation').on('outbox').columns(['conversation_id', 'state', 'id']).execute();
        // Ticket id prefixes (`/answerdesk claim 3f2a`) are looked up by range on this index.
        await db.schema.createIndex('tickets_channel_created').on('tickets').columns(['channel', 'created_at']).execute();
      },
    },
    '004_email': emailMigration(dialect),
    '005_knowledge': knowledgeMigration(dialect),
    '006_metrics': metricsMigration(dialect),
    '007_api': apiMigration(dialect),
    '009_ui': migration009Ui(dialect),
    '010_search': migration010Search(dialect),
  };
}

/** The thread key of a conversation stored before 003, from what it remembered of its platform. */
function legacyThreadKey(r: { id: string; channel: string; channel_ref: string | null }): string {
  let ref: { channel?: unknown; threadTs?: unknown; conversation?: { id?: unknown } } | null = null;
  try {
    ref = r.channel_ref ? JSON.parse(r.channel_ref) : null;
  } catch {
    ref = null;
  }
  if (r.channel === 'slack' && typeof ref?.channel === 'string' && typeof ref.threadTs === 'string') return `${ref.channel}:${ref.threadTs}`;
  if (r.channel === 'msteams' && typeof ref?.conversation?.id === 'string') return ref.conversation.id;
  if (r.channel === 'web') return 'web';
  return `legacy:${r.id}`;
}

export async function migrateToLatest(db: Kysely<any>, dialect: Dialect, schema?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  // The bookkeeping tables live next to the data: kysely otherwise looks for them in any schema.
  const migrator = new Migrator({ db, provider, ...(dialect === 'postgres' ? { migrationTableSchema: schema ?? 'public' } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error | undefined)?.message ?? 'unknown error'}`);
  }
}
