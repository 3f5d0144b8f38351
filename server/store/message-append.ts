import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import { notFound } from '../domain/errors';
import type { ChatMessage } from '../domain/transcript';
import { dueAt, isUniqueViolation, now, toMessage } from './rows';
import type { Database, MessagesTable } from './schema';
import { appendWords, appendWordsCte, messageWords } from './search-index';
import type { AppendResult, NewMessage, NewOutboxItem } from './types';

/** The message a conversation already holds under a client id (a resend's original), if any. */
export async function findByClientId(db: Kysely<Database>, conversationId: string, clientId: string): Promise<ChatMessage | undefined> {
  const row = await db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('client_id', '=', clientId).executeTakeFirst();
  return row && toMessage(row);
}

/**
 * Appends a message (gapless seq, idempotent by clientId) and, in the same transaction, its
 * outbox rows. A concurrent resend of the same client id returns the stored row as a duplicate.
 */
export async function appendMessage(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', input: NewMessage, outbox: NewOutboxItem[] = []): Promise<AppendResult> {
  const clientId = input.clientId ?? null;
  try {
    if (dialect === 'postgres') return await appendOneTrip(db, input, clientId, outbox);
    return await db.transaction().execute((trx) => appendInTransaction(trx, input, clientId, outbox));
  } catch (err) {
    // Two concurrent sends of the same client id: the loser returns the winner's row.
    if (clientId && isUniqueViolation(err)) {
      const existing = await findByClientId(db, input.conversationId, clientId);
      if (existing) return { message: existing, duplicate: true };
    }
    throw err;
  }
}

async function appendInTransaction(trx: Transaction<Database>, input: NewMessage, clientId: string | null, outbox: NewOutboxItem[]): Promise<AppendResult> {
  const existing = clientId ? await findByClientId(trx, input.conversationId, clientId) : undefined;
  if (existing) return { message: existing, duplicate: true };
  // Incrementing the counter row locks the conversation (SQLite's write lock), so concurrent
  // appends get consecutive numbers without gaps.
  const at = now();
  const counter = await trx
    .updateTable('conversations')
    .set({ last_seq: sql`last_seq + 1`, updated_at: at })
    .where('id', '=', input.conversationId)
    .returning('last_seq')
    .executeTakeFirst();
  if (!counter) throw notFound('conversation', input.conversationId);
  const row = await trx
    .insertInto('messages')
    .values({
      id: randomUUID(),
      conversation_id: input.conversationId,
      seq: Number(counter.last_seq),
      author: input.author,
      author_id: input.authorId ?? null,
      author_name: input.authorName ?? null,
      content: JSON.stringify(input.content),
      client_id: clientId,
      created_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendWords(trx, input.conversationId, messageWords(input.content));
  for (const item of outbox) {
    await trx
      .insertInto('outbox')
      .values({
        channel: item.channel,
        conversation_id: input.conversationId,
        message_id: row.id,
        payload: JSON.stringify(item.payload),
        state: 'pending',
        attempts: 0,
        next_attempt_at: dueAt(at, item.delayMs),
        lease_owner: null,
        lease_until: null,
        last_error: null,
        created_at: at,
        done_at: null,
      })
      .execute();
  }
  return { message: toMessage(row), duplicate: false };
}

/**
 * PostgreSQL: the same append as one statement (one round trip instead of five: the server
 * is often waiting on the network, not the disk). The counter UPDATE takes the row lock and
 * skips a client id already stored; a concurrent duplicate trips the unique index, which
 * rolls the whole statement back, counter and outbox rows included, so numbering stays gapless.
 */
async function appendOneTrip(db: Kysely<Database>, input: NewMessage, clientId: string | null, outbox: NewOutboxItem[]): Promise<AppendResult> {
  const at = now();
  const channels = outbox.map((o) => o.channel);
  const payloads = outbox.map((o) => JSON.stringify(o.payload));
  const dues = outbox.map((o) => dueAt(at, o.delayMs));
  const { rows } = await sql<Selectable<MessagesTable>>`
    with counter as (
      update conversations set last_seq = last_seq + 1, updated_at = ${at}
      where id = ${input.conversationId}
        and (${clientId}::text is null or not exists (
          select 1 from messages where conversation_id = ${input.conversationId} and client_id = ${clientId}::text))
      returning last_seq
    ), inserted as (
      insert into messages (id, conversation_id, seq, author, author_id, author_name, content, client_id, created_at)
      select ${randomUUID()}, ${input.conversationId}, last_seq, ${input.author}, ${input.authorId ?? null}::text, ${input.authorName ?? null}::text,
             ${JSON.stringify(input.content)}, ${clientId}::text, ${at}
      from counter
      returning *
    ), queued as (
      insert into outbox (channel, conversation_id, message_id, payload, state, attempts, next_attempt_at, created_at)
      select o.channel, inserted.conversation_id, inserted.id, o.payload, 'pending', 0, o.due, ${at}
      from inserted, unnest(${channels}::text[], ${payloads}::text[], ${dues}::text[]) as o(channel, payload, due)
    ), indexed as (${appendWordsCte(input.conversationId, messageWords(input.content), 'counter')})
    select * from inserted`.execute(db);
  const [row] = rows;
  if (row) return { message: toMessage(row), duplicate: false };
  const existing = clientId ? await findByClientId(db, input.conversationId, clientId) : undefined;
  if (existing) return { message: existing, duplicate: true };
  throw notFound('conversation', input.conversationId);
}
