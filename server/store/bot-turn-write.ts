import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import { notFound } from '../domain/errors';
import type { Channel, ChatMessage } from '../domain/transcript';
import { dueAt, isUniqueViolation, now, toMessage } from './rows';
import type { Database, MessagesTable } from './schema';
import type { NewMessage, NewOutboxItem } from './types';
import { BUSY, type SqliteHotPath } from './sqlite-hot-path';

export interface BotTurnWrite {
  conversationId: string;
  channel: Channel;
  botState: unknown;
  /**
   * The customer's message the turn answers, stored first and with the turn (question and
   * answer commit together). Its client id makes a resent question a duplicate: nothing is
   * written and the stored one comes back.
   */
  question?: { content: NewMessage['content']; clientId: string | null; outbox: NewOutboxItem[] };
  messages: { author: NewMessage['author']; content: NewMessage['content']; outbox: NewOutboxItem[] }[];
  events: { type: string; data: Record<string, unknown> }[];
}

export type BotTurnResult = { messages: ChatMessage[]; duplicate?: undefined } | { messages: []; duplicate: ChatMessage };

type Row = { id: string; author: NewMessage['author']; content: string; clientId: string | null };

/**
 * The bot's turn in one transaction (one statement on PostgreSQL): the question it answers
 * (when given), its new state, its replies (numbered after the conversation's last message)
 * with their outbox rows, and the events that only record what it did. One round trip
 * instead of one per message and event.
 */
export async function writeBotTurn(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', turn: BotTurnWrite, hot?: SqliteHotPath): Promise<BotTurnResult> {
  const at = now();
  const all = [...(turn.question ? [{ author: 'customer' as const, ...turn.question }] : []), ...turn.messages.map((m) => ({ ...m, clientId: null }))];
  const rows: Row[] = all.map((m) => ({ id: randomUUID(), author: m.author, content: JSON.stringify(m.content), clientId: m.clientId }));
  const outbox = all.flatMap((m, i) => m.outbox.map((o) => ({ ...o, messageId: rows[i]!.id })));
  const clientId = turn.question?.clientId ?? null;
  try {
    const fast = hot?.writeBotTurn(turn, { rows, outbox, clientId, at }) ?? BUSY;
    const messages =
      fast !== BUSY ? fast : dialect === 'postgres' ? await oneStatement(db, turn, rows, outbox, clientId, at) : await oneTransaction(db, turn, rows, outbox, clientId, at);
    if (messages) return { messages };
  } catch (err) {
    // A concurrent resend of the same question: the whole write rolled back; the winner's row answers.
    if (!(clientId && isUniqueViolation(err))) throw err;
  }
  const existing = clientId ? await db.selectFrom('messages').selectAll().where('conversation_id', '=', turn.conversationId).where('client_id', '=', clientId).executeTakeFirst() : undefined;
  if (!existing) throw notFound('conversation', turn.conversationId);
  return { messages: [], duplicate: toMessage(existing) };
}

/** PostgreSQL. Nothing is written (no counter row) when the question's client id is stored already. */
async function oneStatement(db: Kysely<Database>, turn: BotTurnWrite, rows: Row[], outbox: (NewOutboxItem & { messageId: string })[], clientId: string | null, at: string): Promise<ChatMessage[] | undefined> {
  const n = rows.length;
  const { rows: inserted } = await sql<Selectable<MessagesTable>>`
    with counter as (
      update conversations set bot_state = ${JSON.stringify(turn.botState)}, last_seq = last_seq + ${n}::int, updated_at = ${at}
      where id = ${turn.conversationId}
        and (${clientId}::text is null or not exists (
          select 1 from messages where conversation_id = ${turn.conversationId} and client_id = ${clientId}::text))
      returning last_seq
    ), inserted as (
      insert into messages (id, conversation_id, seq, author, author_id, author_name, content, client_id, created_at)
      select m.id, ${turn.conversationId}, counter.last_seq - ${n}::int + m.ord::int, m.author, null, null, m.content, m.client_id, ${at}
      from counter, unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.author)}::text[], ${rows.map((r) => r.content)}::text[], ${rows.map((r) => r.clientId)}::text[])
        with ordinality as m(id, author, content, client_id, ord)
      returning *
    ), queued as (
      insert into outbox (channel, conversation_id, message_id, payload, state, attempts, next_attempt_at, created_at)
      select o.channel, ${turn.conversationId}, o.message_id, o.payload, 'pending', 0, o.due, ${at}
      from counter, unnest(${outbox.map((o) => o.channel)}::text[], ${outbox.map((o) => o.messageId)}::text[], ${outbox.map((o) => JSON.stringify(o.payload))}::text[], ${outbox.map((o) => dueAt(at, o.delayMs))}::text[])
        as o(channel, message_id, payload, due)
    ), logged as (
      insert into events (type, conversation_id, ticket_id, channel, agent_id, data, created_at)
      select e.type, ${turn.conversationId}, null, ${turn.channel}, null, e.data, ${at}
      from counter, unnest(${turn.events.map((e) => e.type)}::text[], ${turn.events.map((e) => JSON.stringify(e.data))}::text[]) as e(type, data)
    )
    select * from inserted order by seq`.execute(db);
  // No rows: either the question was a resend (the caller looks it up) or the conversation is gone.
  return inserted.length === n ? inserted.map(toMessage) : undefined;
}

/** SQLite: the same write as one transaction (its write lock numbers the messages without gaps). */
async function oneTransaction(db: Kysely<Database>, turn: BotTurnWrite, rows: Row[], outbox: (NewOutboxItem & { messageId: string })[], clientId: string | null, at: string): Promise<ChatMessage[] | undefined> {
  return db.transaction().execute(async (trx) => {
    if (clientId) {
      const seen = await trx.selectFrom('messages').select('id').where('conversation_id', '=', turn.conversationId).where('client_id', '=', clientId).executeTakeFirst();
      if (seen) return undefined;
    }
    const counter = await trx
      .updateTable('conversations')
      .set({ bot_state: JSON.stringify(turn.botState), last_seq: sql`last_seq + ${rows.length}`, updated_at: at })
      .where('id', '=', turn.conversationId)
      .returning('last_seq')
      .executeTakeFirst();
    if (!counter) throw notFound('conversation', turn.conversationId);
    const first = Number(counter.last_seq) - rows.length + 1;
    const inserted = rows.length === 0 ? [] : await trx
      .insertInto('messages')
      .values(rows.map((r, i) => ({ id: r.id, conversation_id: turn.conversationId, seq: first + i, author: r.author, author_id: null, author_name: null, content: r.content, client_id: r.clientId, created_at: at })))
      .returningAll()
      .execute();
    if (outbox.length) {
      await trx
        .insertInto('outbox')
        .values(outbox.map((o) => ({ channel: o.channel, conversation_id: turn.conversationId, message_id: o.messageId, payload: JSON.stringify(o.payload), state: 'pending', attempts: 0, next_attempt_at: dueAt(at, o.delayMs), lease_owner: null, lease_until: null, last_error: null, created_at: at, done_at: null })))
        .execute();
    }
    if (turn.events.length) {
      await trx
        .insertInto('events')
        .values(turn.events.map((e) => ({ type: e.type, conversation_id: turn.conversationId, ticket_id: null, channel: turn.channel, agent_id: null, data: JSON.stringify(e.data), created_at: at })))
        .execute();
    }
    return inserted.map(toMessage).sort((a, b) => a.seq - b.seq);
  });
}
