import { randomUUID } from 'node:crypto';
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from './open';

/** Replies every support team types daily; agents edit or delete them in Settings. */
const SHIPPED_CANNED = [
  ['Greeting', 'Hi there, thanks for reaching out! I’m {{agent.name}} and I’ll help you with this.'],
  ['Looking into it', 'Thanks for the details — I’m looking into this now and will get back to you in a few minutes.'],
  ['Need more details', 'Could you tell me a bit more? A screenshot or the exact error message would help a lot.'],
  ['Password reset', 'You can reset your password from the sign-in page: choose **Forgot password?** and follow the link we email you. The link is valid for 1 hour.'],
  ['Anything else?', 'Is there anything else I can help you with today?'],
  ['Closing', 'I’ll mark this conversation as resolved. If anything else comes up, just reply here — we’re happy to help.'],
] as const;

/**
 * 009 (widget, console and help centre): team settings such as the widget's branding, as JSON
 * per key; attachments stored in the database (so every instance serves them); and a few
 * canned responses a new team starts with.
 */
export function migration009Ui(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      // The key/value settings table may exist already: 006 (metrics) made the same one.
      await db.schema
        .createTable('settings')
        .ifNotExists()
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('attachments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('data', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // Help-centre page views per article, for "popular articles" (one counter row each).
      await db.schema
        .createTable('article_views')
        .addColumn('article_id', 'text', (c) => c.primaryKey())
        .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema.createIndex('attachments_conversation').on('attachments').column('conversation_id').execute();

      const existing = await db.selectFrom('canned_responses').select('id').limit(1).execute();
      if (existing.length === 0) {
        const at = new Date().toISOString();
        await db
          .insertInto('canned_responses')
          .values(SHIPPED_CANNED.map(([title, body]) => ({ id: randomUUID(), title, body, created_by: null, created_at: at })))
          .execute();
      }
    },
  };
}
