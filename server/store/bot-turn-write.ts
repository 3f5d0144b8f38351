import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { notFound } from '../domain/errors';
import type { Channel, ChatMessage } from '../domain/transcript';
import { dueAt, isUniqueViolation, now, toMessage, turnMessages } from './rows';
import type { Database } from './schema';
import type { NewMessage, NewOutboxItem } from './types';
import { BUSY, type SqliteHotPath } from './sqlite-hot-path';
import { BOT_TURN, type PgStatements } from './pg-statements';

/** The per-message statements outside kysely: prepared on SQLite, named on PostgreSQL (one of them). */
export interface FastPaths {
  sqlite?: SqliteHotPath;
  pg?: PgStatements;
}

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
export async function writeBotTurn(db: Kysely<Database>, fast: FastPaths, turn: BotTurnWrite): Promise<BotTurnResult> {
  const at = now();
  const all = [...(turn.question ? [{ author: 'customer' as const, ...turn.question }] : []), ...turn.messages.map((m) => ({ ...m, clientId: null }))];
  const rows: Row[] = all.map((m) => ({ id: randomUUID(), author: m.author, content: JSON.stringify(m.content), clientId: m.clientId }));
  const outbox = all.flatMap((m, i) => m.outbox.map((o) => ({ ...o, messageId: rows[i]!.id })));
  const clientId = turn.question?.clientId ?? null;
  try {
    const done = fast.sqlite?.writeBotTurn(turn, { rows, outbox, clientId, at }) ?? BUSY;
    const messages = done !== BUSY ? done : fast.pg ? await oneStatement(fast.pg, turn, rows, outbox, clientId, at) : await oneTransaction(db, turn, rows, outbox, clientId, at);
    if (messages) return { messages };
  } catch (err) {
    // A concurrent resend of the same question: the whole write rolled back; the winner's row answers.
    if (!(clientId && isUniqueViolation(err))) throw err;
  }
  const existing = clientId ? await db.selectFrom('messages').selectAll().where('conversation_id', '=', turn.conversationId).where('client_id', '=', clientId).executeTakeFirst() : undefined;
  if (!existing) throw notFound('conversation', turn.conversationId);
  return { messages: [], duplicate: toMessage(existing) };
}

/** PostgreSQL (`BOT_TURN`). Nothing is written (no counter row) when the question's client id is stored already. */
async function oneStatement(pg: PgStatements, turn: BotTurnWrite, rows: Row[], outbox: (NewOutboxItem & { messageId: string })[], clientId: string | null, at: string): Promise<ChatMessage[] | undefined> {
  const [counter] = await pg.rows<{ last_seq: number | string }>(BOT_TURN, [
    JSON.stringify(turn.botState), rows.length, at, turn.conversationId, clientId,
    rows.map((r) => r.id), rows.map((r) => r.author), rows.map((r) => r.content), rows.map((r) => r.clientId),
    outbox.map((o) => o.channel), outbox.map((o) => o.messageId), outbox.map((o) => JSON.stringify(o.payload)), outbox.map((o) => dueAt(at, o.delayMs)),
    turn.channel, turn.events.map((e) => e.type), turn.events.map((e) => JSON.stringify(e.data)),
  ]);
  // No row: either the question was a resend (the caller looks it up) or the conversation is gone.
  return counter ? turnMessages(turn.conversationId, rows, Number(counter.last_seq), at) : undefined;
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
    const messages = turnMessages(turn.conversationId, rows, Number(counter.last_seq), at);
    if (rows.length) {
      await trx
        .insertInto('messages')
        .values(rows.map((r, i) => ({ id: r.id, conversation_id: turn.conversationId, seq: messages[i]!.seq, author: r.author, author_id: null, author_name: null, content: r.content, client_id: r.clientId, created_at: at })))
        .execute();
    }
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
    return messages;
  });
}
