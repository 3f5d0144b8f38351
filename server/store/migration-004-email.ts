import type { Kysely, Migration } from 'kysely';
import type { Dialect } from './open';

/**
 * Email (issue 13):
 * - `emails`: every message that came in (SMTP receiver or IMAP) or went out, once per
 *   Message-ID — the primary key is what makes a mail arriving both ways, or redelivered,
 *   stored and answered once. The original (text, sanitised HTML, attachment notes) stays
 *   here for the console.
 * - `email_threads`: per conversation, how far it has been emailed (the batching and
 *   at-most-one-email-per-message bookkeeping) and the Message-IDs mail clients thread on.
 * - `widget_presence` + `instances`: which customers have a live widget socket on which
 *   instance, and until when each instance is known alive, so "the customer is offline" holds
 *   across instances and a SIGKILLed instance's sockets stop counting after its heartbeat lapses.
 */
export function emailMigration(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('emails')
        .addColumn('message_id', 'text', (c) => c.primaryKey())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text')
        .addColumn('chat_message_id', 'text')
        .addColumn('from_address', 'text', (c) => c.notNull())
        .addColumn('to_addresses', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('text_body', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('html_body', 'text')
        .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('size', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('via', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('emails_conversation').on('emails').columns(['conversation_id', 'created_at']).execute();
      await db.schema.createIndex('emails_chat_message').on('emails').column('chat_message_id').execute();

      await db.schema
        .createTable('email_threads')
        .addColumn('conversation_id', 'text', (c) => c.primaryKey())
        .addColumn('emailed_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sent', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('refs', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('widget_presence')
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('sockets', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('widget_presence_pk', ['customer_id', 'instance'])
        .execute();
      await db.schema
        .createTable('instances')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('alive_until', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
