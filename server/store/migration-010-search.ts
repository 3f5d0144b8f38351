import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from './open';
import { indexConversation } from './search-index';

/**
 * 010 (console search): a full-text index over tickets, messages and customers, one row per
 * conversation (see search-index.ts). The words are cut by the application (search-words.ts)
 * so both backends index exactly the same words; existing conversations are indexed here.
 */
export function migration010Search(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      if (dialect === 'postgres') {
        await sql`create table search_docs (
          conversation_id text primary key,
          head text not null default '',
          body text not null default '',
          doc tsvector generated always as (array_to_tsvector(array_remove(string_to_array(head || ' ' || body, ' '), ''))) stored
        )`.execute(db);
        await sql`create index search_docs_doc on search_docs using gin (doc)`.execute(db);
      } else {
        await sql`create table search_docs (
          id integer primary key autoincrement,
          conversation_id text not null unique,
          head text not null default '',
          body text not null default ''
        )`.execute(db);
        // External content: FTS5 keeps only the index; the triggers are FTS5's documented way
        // to follow the content table. `ascii` takes the application's words as they are.
        await sql`create virtual table search_fts using fts5(head, body, content='search_docs', content_rowid='id', tokenize='ascii')`.execute(db);
        await sql`create trigger search_docs_ai after insert on search_docs begin
          insert into search_fts(rowid, head, body) values (new.id, new.head, new.body); end`.execute(db);
        await sql`create trigger search_docs_ad after delete on search_docs begin
          insert into search_fts(search_fts, rowid, head, body) values ('delete', old.id, old.head, old.body); end`.execute(db);
        await sql`create trigger search_docs_au after update on search_docs begin
          insert into search_fts(search_fts, rowid, head, body) values ('delete', old.id, old.head, old.body);
          insert into search_fts(rowid, head, body) values (new.id, new.head, new.body); end`.execute(db);
      }
      await backfill(db);
    },
  };
}

/** Indexes what is stored already, a ticket's conversation at a time. */
async function backfill(db: Kysely<any>): Promise<void> {
  const conversations = (await db.selectFrom('tickets').select('conversation_id').distinct().execute()) as { conversation_id: string }[];
  for (const { conversation_id } of conversations) await indexConversation(db, conversation_id);
}
