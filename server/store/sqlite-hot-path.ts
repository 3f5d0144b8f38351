import type SQLite from 'better-sqlite3';
import type { Selectable } from 'kysely';
import { notFound } from '../domain/errors';
import type { ChatMessage } from '../domain/transcript';
import { dueAt, toConversation, turnMessages } from './rows';
import type { ConversationsTable, MessagesTable } from './schema';
import type { BotTurnWrite, ConversationVersion, TurnIfCurrent } from './bot-turn-write';
import type { RateHit } from './thread-intake';
import type { Conversation, NewOutboxItem } from './types';
import { trimBefore, trimDue, windowStartOf } from './limits';

/** What `writeBotTurn` has prepared: message rows (ids, JSON content) and their outbox rows. */
export interface TurnRows {
  rows: { id: string; author: MessagesTable['author']; content: string; clientId: string | null }[];
  outbox: (NewOutboxItem & { messageId: string })[];
  clientId: string | null;
  at: string;
}

/** Sentinel: the connection is inside a kysely transaction; the caller takes the kysely path. */
export const BUSY = Symbol('sqlite connection busy');

const SQL = {
  hit: 'insert into rate_limits (key, window_start, count) values (?, ?, 1) on conflict (key, window_start) do update set count = rate_limits.count + 1 returning count',
  trim: 'delete from rate_limits where window_start < ?',
  thread: 'select * from conversations where customer_id = ? and thread_key = ? order by generation desc limit 1',
  seen: 'select id from messages where conversation_id = ? and client_id = ?',
  current: 'select 1 as current from conversations where id = ? and last_seq = ? and state = ? and assignee_id is ? and updated_at = ?',
  counter: 'update conversations set bot_state = ?, last_seq = last_seq + ?, updated_at = ? where id = ? returning last_seq',
  message: 'insert into messages (id, conversation_id, seq, author, author_id, author_name, content, client_id, created_at) values (?, ?, ?, ?, null, null, ?, ?, ?)',
  outbox:
    "insert into outbox (channel, conversation_id, message_id, payload, state, attempts, next_attempt_at, lease_owner, lease_until, last_error, created_at, done_at) values (?, ?, ?, ?, 'pending', 0, ?, null, null, null, ?, null)",
  event: 'insert into events (type, conversation_id, ticket_id, channel, agent_id, data, created_at) values (?, ?, null, ?, null, ?, ?)',
} as const;

type Prepared = Record<keyof typeof SQL, SQLite.Statement>;

/**
 * The per-message path on SQLite — thread intake and the bot's turn — as statements prepared
 * once and run synchronously on better-sqlite3. Through kysely each of these small statements
 * cost more in query building, compiling and promise hops than SQLite spent running it; the
 * SQL and the storage contract are the same as the kysely code beside it (`thread-intake.ts`,
 * `bot-turn-write.ts`), so the contract suite covers both.
 *
 * The connection is shared with kysely, whose transactions span awaits. Running here while one
 * is open would put these writes inside someone else's transaction, so then every method
 * answers `BUSY` and the caller takes the kysely path (which queues for the connection).
 */
export class SqliteHotPath {
  private readonly stmt: Prepared;
  private readonly turnTx: (turn: BotTurnWrite, r: TurnRows) => ChatMessage[] | undefined;
  private readonly ifCurrentTx: (expected: ConversationVersion, rate: RateHit & { limit: number }, turn: BotTurnWrite, r: TurnRows) => TurnIfCurrent;

  /** `record` sees every statement (BEGIN/COMMIT included), so round-trip counts stay honest. */
  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly record?: (statement: string) => void,
  ) {
    this.stmt = Object.fromEntries(Object.entries(SQL).map(([k, s]) => [k, sqlite.prepare(s)])) as Prepared;
    this.turnTx = this.transaction((turn, r) => this.turnStatements(turn, r));
    this.ifCurrentTx = this.transaction((expected, rate, turn, r) => this.ifCurrentStatements(expected, rate, turn, r));
  }

  /** One rate-limit hit and the thread's newest conversation (as `inThreadCounting`). */
  hitAndFindThread(customerId: string, threadKey: string, rate: RateHit): { conversation: Conversation | undefined; hits: number } | typeof BUSY {
    if (this.sqlite.inTransaction) return BUSY;
    const hit = this.run<{ count: number }>('hit', 'get', rate.key, windowStartOf(rate.windowMs));
    if (trimDue()) this.run('trim', 'run', trimBefore(rate.windowMs));
    const row = this.run<Selectable<ConversationsTable> | undefined>('thread', 'get', customerId, threadKey);
    return { conversation: row && toConversation(row), hits: Number(hit.count) };
  }

  /** The bot's turn in one transaction; `undefined` when the question's client id is stored already. */
  writeBotTurn(turn: BotTurnWrite, r: TurnRows): ChatMessage[] | undefined | typeof BUSY {
    if (this.sqlite.inTransaction) return BUSY;
    return this.turnTx(turn, r);
  }

  /** As `TURN_IF_CURRENT` on PostgreSQL: one hit, then the turn only within the limit and at `expected`. */
  turnIfCurrent(expected: ConversationVersion, rate: RateHit & { limit: number }, turn: BotTurnWrite, r: TurnRows): TurnIfCurrent | typeof BUSY {
    if (this.sqlite.inTransaction) return BUSY;
    const out = this.ifCurrentTx(expected, rate, turn, r);
    if (trimDue()) this.run('trim', 'run', trimBefore(rate.windowMs));
    return out;
  }

  private ifCurrentStatements(expected: ConversationVersion, rate: RateHit & { limit: number }, turn: BotTurnWrite, r: TurnRows): TurnIfCurrent {
    const hits = Number(this.run<{ count: number }>('hit', 'get', rate.key, windowStartOf(rate.windowMs)).count);
    if (hits > rate.limit) return { hits };
    if (!this.run('current', 'get', expected.id, expected.lastSeq, expected.state, expected.assigneeId, expected.updatedAt)) return { hits };
    const messages = this.turnStatements(turn, r);
    return messages ? { hits, messages } : { hits };
  }

  private turnStatements(turn: BotTurnWrite, { rows, outbox, clientId, at }: TurnRows): ChatMessage[] | undefined {
    const id = turn.conversationId;
    if (clientId && this.run('seen', 'get', id, clientId)) return undefined;
    const counter = this.run<{ last_seq: number } | undefined>('counter', 'get', JSON.stringify(turn.botState), rows.length, at, id);
    if (!counter) throw notFound('conversation', id);
    const messages = turnMessages(id, rows, Number(counter.last_seq), at);
    rows.forEach((m, i) => this.run('message', 'run', m.id, id, messages[i]!.seq, m.author, m.content, m.clientId, at));
    for (const o of outbox) this.run('outbox', 'run', o.channel, id, o.messageId, JSON.stringify(o.payload), dueAt(at, o.delayMs), at);
    for (const e of turn.events) this.run('event', 'run', e.type, id, turn.channel, JSON.stringify(e.data), at);
    return messages;
  }

  /** A better-sqlite3 transaction whose BEGIN and COMMIT are recorded too. */
  private transaction<A extends unknown[], R>(body: (...args: A) => R): (...args: A) => R {
    const tx = this.sqlite.transaction(body);
    return (...args) => {
      this.record?.('begin');
      const out = tx(...args);
      this.record?.('commit');
      return out;
    };
  }

  private run<T = unknown>(name: keyof typeof SQL, how: 'get' | 'run', ...params: unknown[]): T {
    this.record?.(SQL[name]);
    return this.stmt[name][how](...params) as T;
  }
}
