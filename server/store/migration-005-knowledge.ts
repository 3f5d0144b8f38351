import type { Kysely, Migration } from 'kysely';
import type { Dialect } from './open';

/**
 * 005 — the knowledge base in the database (issue 14): articles with their working copy and
 * state, categories, intents and the phrasings customers use, out-of-scope examples, the revision
 * history, the "Improve the bot" inbox's actions, and one counter that names the published
 * version every instance should be serving.
 */
export function knowledgeMigration(dialect: Dialect): Migration {
  const serial = (dialect === 'postgres' ? 'bigserial' : 'integer') as 'integer';
  const autoId = (b: any) => (dialect === 'sqlite' ? b.autoIncrement() : b);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('kb_categories')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      // The slug is the article's id: it is its address (/help/articles/<slug>) and what the bot's
      // events refer to, so it never changes; a second article with the same slug is refused.
      await db.schema
        .createTable('kb_articles')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
        .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('source_path', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
      await db.schema.createIndex('kb_articles_state').on('kb_articles').columns(['state', 'category']).execute();

      // Intents group phrasings: one answers with an article (article_id) or with a short response.
      await db.schema
        .createTable('kb_intents')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('article_id', 'text')
        .addColumn('response', 'text')
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('kb_intents_article').on('kb_intents').column('article_id').execute();

      await db.schema
        .createTable('kb_phrasings')
        .addColumn('id', serial, (c) => autoId(c.primaryKey()))
        .addColumn('intent', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        // Lower-cased, spaces collapsed: "is this phrasing already someone else's?" is one lookup.
        .addColumn('norm', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('source', 'text', (c) => c.notNull().defaultTo('import'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('kb_phrasings_intent').on('kb_phrasings').columns(['intent', 'position']).execute();
      await db.schema.createIndex('kb_phrasings_norm').on('kb_phrasings').column('norm').execute();

      // Questions the team marked out of scope: trained as their own class so the bot says it does not know.
      await db.schema
        .createTable('kb_out_of_scope')
        .addColumn('id', serial, (c) => autoId(c.primaryKey()))
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('norm', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('kb_revisions')
        .addColumn('id', serial, (c) => autoId(c.primaryKey()))
        .addColumn('article_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text')
        .addColumn('agent_name', 'text')
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('kb_revisions_article').on('kb_revisions').columns(['article_id', 'id']).execute();

      await db.schema
        .createTable('kb_inbox_actions')
        .addColumn('id', serial, (c) => autoId(c.primaryKey()))
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('texts', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('agent_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('kb_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
