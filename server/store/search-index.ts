/**
 * The ticket search index (010): one row per conversation with a ticket in `search_docs`, kept in
 * sync by the store's write paths (a ticket opened: the conversation so far; then each message
 * appended; a ticket retitled, a customer renamed). Bot-led turns, before any ticket, write nothing.
 * `head` holds the ticket's subject and the customer's name and email, `body` every message's
 * words; SQLite indexes them with FTS5, PostgreSQL with a GIN index over a tsvector.
 */
import { type Kysely, sql } from 'kysely';
import type { MessageContent } from '../domain/transcript';
import type { Dialect } from './open';
import { fts5Query, indexText, queryWords, tsQuery } from './search-words';

interface SearchTables {
  search_docs: { conversation_id: string; head: string; body: string };
  tickets: { id: string; conversation_id: string; customer_id: string; subject: string; created_at: string };
  customers: { id: string; name: string | null; email: string | null };
  messages: { conversation_id: string; seq: number; content: string };
}

/** The words a person wrote in a message (the JSON around them is not content). */
export function messageWords(content: MessageContent | string): string {
  let parsed: unknown = content;
  if (typeof content === 'string') {
    try {
      parsed = JSON.parse(content);
    } catch {
      return '';
    }
  }
  const text = (parsed as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? indexText([text]) : '';
}

/**
 * Adds a message's words to its conversation's row (SQLite: inside the caller's transaction).
 * PostgreSQL's one-statement writes add the same upsert as a CTE (`appendWordsSql`).
 */
export async function appendWords(db: Kysely<any>, conversationId: string, words: string): Promise<void> {
  if (!words) return;
  await (db as Kysely<SearchTables>)
    .insertInto('search_docs')
    .values({ conversation_id: conversationId, head: '', body: words })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ body: sql`case when search_docs.body = '' then excluded.body else search_docs.body || ' ' || excluded.body end` }))
    .execute();
}

/** The same upsert as `appendWords`, for a CTE of PostgreSQL's one-statement writes (`from` gates it). */
export const appendWordsCte = (conversationId: string, words: string, from: string) => sql`
  insert into search_docs (conversation_id, head, body)
  select ${conversationId}, '', ${words}::text from ${sql.raw(from)} where ${words}::text <> '' limit 1
  on conflict (conversation_id) do update
    set body = case when search_docs.body = '' then excluded.body else search_docs.body || ' ' || excluded.body end`;

/**
 * Indexes one conversation whole: its ticket's head and every message's words. Run when a ticket
 * opens (or reopens): only conversations with a ticket are searched, so the bot-led messages
 * before it are indexed here, at once, instead of one write per bot turn on the hot path.
 */
export async function indexConversation(db: Kysely<any>, conversationId: string): Promise<void> {
  const d = db as Kysely<SearchTables>;
  const messages = await d.selectFrom('messages').select('content').where('conversation_id', '=', conversationId).orderBy('seq').execute();
  const [ticket] = await ticketHeads(d, { conversationId });
  const head = ticket?.head ?? '';
  const body = messages.map((m) => messageWords(m.content)).filter(Boolean).join(' ');
  await d
    .insertInto('search_docs')
    .values({ conversation_id: conversationId, head, body })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ head, body }))
    .execute();
}

/** The `head` words (subject, customer name and email) of the tickets of one conversation or one customer. */
async function ticketHeads(db: Kysely<SearchTables>, of: { conversationId: string } | { customerId: string }): Promise<{ conversationId: string; head: string }[]> {
  let q = db.selectFrom('tickets').leftJoin('customers', 'customers.id', 'tickets.customer_id').select(['tickets.conversation_id', 'tickets.subject', 'customers.name', 'customers.email']);
  q = 'conversationId' in of ? q.where('tickets.conversation_id', '=', of.conversationId) : q.where('tickets.customer_id', '=', of.customerId);
  return (await q.execute()).map((r) => ({ conversationId: r.conversation_id, head: indexText([r.subject, r.name, r.email]) }));
}

/** Rewrites `head` of the tickets of one conversation or one customer. */
export async function refreshHeads(db: Kysely<any>, of: { conversationId: string } | { customerId: string }): Promise<void> {
  const d = db as Kysely<SearchTables>;
  for (const { conversationId, head } of await ticketHeads(d, of)) {
    await d
      .insertInto('search_docs')
      .values({ conversation_id: conversationId, head, body: '' })
      .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ head }))
      .execute();
  }
}

/**
 * Ticket ids matching every word of `query` (the last as a prefix) in the subject, the
 * customer's name or email, or any message. Ranked the same way on both backends: tickets whose
 * subject, name or email hold every word first, then newest first. (FTS5's bm25 and PostgreSQL's
 * ts_rank weigh words differently, so neither decides the order.)
 */
export async function searchTicketIds(db: Kysely<any>, dialect: Dialect, query: string, limit: number): Promise<string[]> {
  const words = queryWords(query);
  if (words.length === 0) return [];
  const d = db as Kysely<SearchTables>;
  if (dialect === 'postgres') {
    const q = tsQuery(words);
    const { rows } = await sql<{ id: string }>`
      select t.id from search_docs s join tickets t on t.conversation_id = s.conversation_id
      where s.doc @@ ${q}::tsquery
      order by (array_to_tsvector(array_remove(string_to_array(s.head, ' '), '')) @@ ${q}::tsquery) desc, t.created_at desc, t.id
      limit ${limit}`.execute(d);
    return rows.map((r) => r.id);
  }
  const { rows } = await sql<{ id: string }>`
    select t.id from search_fts f
      join search_docs s on s.id = f.rowid
      join tickets t on t.conversation_id = s.conversation_id
    where search_fts match ${fts5Query(words)}
    order by (f.rowid in (select rowid from search_fts where search_fts match ${fts5Query(words, 'head')})) desc, t.created_at desc, t.id
    limit ${limit}`.execute(d);
  return rows.map((r) => r.id);
}
