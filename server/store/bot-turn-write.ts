import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { notFound } from '../domain/errors';
import type { Channel, ChatMessage } from '../domain/transcript';
import { dueAt, isUniqueViolation, now, turnMessages } from './rows';
import type { Database } from './schema';
import type { Conversation, NewMessage, NewOutboxItem } from './types';
import { BUSY, type SqliteHotPath, type TurnRows } from './sqlite-hot-path';
import { BOT_TURN, type PgStatements, TURN_IF_CURRENT } from './pg-statements';
import { KyselyLimits, windowStartOf } from './limits';
import { findByClientId } from './message-append';
import type { RateHit } from './thread-intake';

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

/** The version of a conversation a turn was planned on: what `writeTurnIfCurrent` checks. */
export type ConversationVersion = Pick<Conversation, 'id' | 'lastSeq' | 'state' | 'assigneeId' | 'updatedAt'>;

/** `messages` absent: nothing was written (over the limit, a resend, or the conversation moved on). */
export interface TurnIfCurrent {
  hits: number;
  messages?: ChatMessage[];
}

/** The rows a turn writes, with their ids and time: the same for every backend's statements. */
function prepare(turn: BotTurnWrite): TurnRows {
  const at = now();
  const all = [...(turn.question ? [{ author: 'customer' as const, ...turn.question }] : []), ...turn.messages.map((m) => ({ ...m, clientId: null }))];
  const rows: Row[] = all.map((m) => ({ id: randomUUID(), author: m.author, content: JSON.stringify(m.content), clientId: m.clientId }));
  const outbox = all.flatMap((m, i) => m.outbox.map((o) => ({ ...o, messageId: rows[i]!.id })));
  return { rows, outbox, clientId: turn.question?.clientId ?? null, at };
}

/** `BOT_TURN`'s parameters $1–$16 (`TURN_IF_CURRENT` continues after them). */
function turnParams(turn: BotTurnWrite, { rows, outbox, clientId, at }: TurnRows): unknown[] {
  return [
    JSON.stringify(turn.botState), rows.length, at, turn.conversationId, clientId,
    rows.map((r) => r.id), rows.map((r) => r.author), rows.map((r) => r.content), rows.map((r) => r.clientId),
    outbox.map((o) => o.channel), outbox.map((o) => o.messageId), outbox.map((o) => JSON.stringify(o.payload)), outbox.map((o) => dueAt(at, o.delayMs)),
    turn.channel, turn.events.map((e) => e.type), turn.events.map((e) => JSON.stringify(e.data)),
  ];
}

/**
 * The bot's turn in one transaction (one statement on PostgreSQL): the question it answers
 * (when given), its new state, its replies (numbered after the conversation's last message)
 * with their outbox rows, and the events that only record what it did. One round trip
 * instead of one per message and event.
 */
export async function writeBotTurn(db: Kysely<Database>, fast: FastPaths, turn: BotTurnWrite): Promise<BotTurnResult> {
  const prepared = prepare(turn);
  const { clientId } = prepared;
  try {
    const done = fast.sqlite?.writeBotTurn(turn, prepared) ?? BUSY;
    const messages = done !== BUSY ? done : fast.pg ? await oneStatement(fast.pg, turn, prepared) : await oneTransaction(db, turn, prepared);
    if (messages) return { messages };
  } catch (err) {
    // A concurrent resend of the same question: the whole write rolled back; the winner's row answers.
    if (!(clientId && isUniqueViolation(err))) throw err;
  }
  const existing = clientId ? await findByClientId(db, turn.conversationId, clientId) : undefined;
  if (!existing) throw notFound('conversation', turn.conversationId);
  return { messages: [], duplicate: existing };
}

/**
 * One rate-limit hit and, if it is within `rate.limit` and the conversation is still at
 * `expected`, the bot's turn — atomically, in one round trip on PostgreSQL (`TURN_IF_CURRENT`).
 * `undefined`: declined, nothing done (SQLite's connection was inside a kysely transaction, or
 * a concurrent resend won): the caller takes the two-step path.
 */
export async function writeTurnIfCurrent(db: Kysely<Database>, fast: FastPaths, expected: ConversationVersion, rate: RateHit & { limit: number }, turn: BotTurnWrite): Promise<TurnIfCurrent | undefined> {
  const prepared = prepare(turn);
  if (fast.sqlite) {
    const done = fast.sqlite.turnIfCurrent(expected, rate, turn, prepared);
    return done === BUSY ? undefined : done;
  }
  if (!fast.pg) return undefined;
  let row: { hits: number | string; last_seq: number | string | null } | undefined;
  try {
    [row] = await fast.pg.rows<{ hits: number | string; last_seq: number | string | null }>(TURN_IF_CURRENT, [
      ...turnParams(turn, prepared),
      rate.key, windowStartOf(rate.windowMs), rate.limit, expected.lastSeq, expected.state, expected.assigneeId, expected.updatedAt,
    ]);
  } catch (err) {
    if (prepared.clientId && isUniqueViolation(err)) return undefined;
    throw err;
  }
  await new KyselyLimits(db).trimNowAndThen(rate.windowMs);
  if (!row) throw new Error('rate-limit upsert returned no row');
  const hits = Number(row.hits);
  return row.last_seq === null ? { hits } : { hits, messages: turnMessages(turn.conversationId, prepared.rows, Number(row.last_seq), prepared.at) };
}

/** PostgreSQL (`BOT_TURN`). Nothing is written (no counter row) when the question's client id is stored already. */
async function oneStatement(pg: PgStatements, turn: BotTurnWrite, prepared: TurnRows): Promise<ChatMessage[] | undefined> {
  const [counter] = await pg.rows<{ last_seq: number | string }>(BOT_TURN, turnParams(turn, prepared));
  // No row: either the question was a resend (the caller looks it up) or the conversation is gone.
  return counter ? turnMessages(turn.conversationId, prepared.rows, Number(counter.last_seq), prepared.at) : undefined;
}

/** SQLite: the same write as one transaction (its write lock numbers the messages without gaps). */
async function oneTransaction(db: Kysely<Database>, turn: BotTurnWrite, { rows, outbox, clientId, at }: TurnRows): Promise<ChatMessage[] | undefined> {
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
