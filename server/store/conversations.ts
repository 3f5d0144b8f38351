import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Channel, ChatMessage } from '../domain/transcript';
import { notFound } from '../domain/errors';
import { now, toConversation, toMessage } from './rows';
import type { ConversationsTable, Database } from './schema';
import { type BotTurnResult, type BotTurnWrite, type ConversationVersion, type FastPaths, type TurnIfCurrent, writeBotTurn, writeTurnIfCurrent } from './bot-turn-write';
import { appendMessage } from './message-append';
import { newestInThread, type RateHit, threadIntake } from './thread-intake';
import type { AppendResult, Conversation, NewMessage, NewOutboxItem } from './types';

export type { BotTurnResult, BotTurnWrite, ConversationVersion, TurnIfCurrent } from './bot-turn-write';

export type ConversationPatch = Partial<Pick<Conversation, 'state' | 'botState' | 'assigneeId' | 'channelRef' | 'email' | 'resolvedAt'>>;

export interface ConversationStore {
  get(id: string): Promise<Conversation | undefined>;
  /** The customer's newest conversation, whatever its thread. */
  latest(customerId: string): Promise<Conversation | undefined>;
  listOfCustomer(customerId: string, limit?: number): Promise<Conversation[]>;
  /** The newest conversation of a customer's thread (an indexed lookup, no scan). */
  inThread(customerId: string, threadKey: string): Promise<Conversation | undefined>;
  /** `inThread` plus one hit on a rate-limit counter, in one round trip where the backend allows. */
  inThreadCounting(customerId: string, threadKey: string, rate: RateHit): Promise<{ conversation: Conversation | undefined; hits: number }>;
  /**
   * Opens the thread's next conversation (generation `after + 1`). Race-free: when two callers
   * open the same generation at once, one row is inserted and both get it.
   */
  openInThread(input: { customerId: string; channel: Channel; threadKey: string; channelRef?: unknown }, after?: Conversation): Promise<{ conversation: Conversation; created: boolean }>;
  update(id: string, patch: ConversationPatch): Promise<Conversation>;

  /** Appends a message (gapless seq, idempotent by clientId) and, in the same transaction, its outbox rows. */
  append(input: NewMessage, outbox?: NewOutboxItem[]): Promise<AppendResult>;
  /**
   * The bot's turn in one transaction (one statement on PostgreSQL): its new state, its
   * replies with their outbox rows, and the events that only record what it did.
   */
  appendTurn(turn: BotTurnWrite): Promise<BotTurnResult>;
  /**
   * A follow-up planned on a conversation version the caller already holds: one hit on the
   * rate-limit counter and, atomically with it, `appendTurn` — only if the hit is within
   * `rate.limit` and the conversation is still `expected` (one round trip on PostgreSQL).
   * `messages` absent: nothing written but the hit. `undefined`: declined, nothing done at all.
   */
  appendTurnIfCurrent(expected: ConversationVersion, rate: RateHit & { limit: number }, turn: BotTurnWrite): Promise<TurnIfCurrent | undefined>;
  listMessages(conversationId: string, afterSeq?: number, limit?: number): Promise<ChatMessage[]>;
  message(id: string): Promise<ChatMessage | undefined>;

  /** A platform object that points at a conversation (e.g. a Slack notice): written once, found by key. */
  link(key: string, conversationId: string, ticketId?: string | null): Promise<void>;
  byLink(key: string): Promise<{ conversationId: string; ticketId: string | null } | undefined>;
}

export class KyselyConversations implements ConversationStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
    /** The per-message statements prepared once, run without kysely (`sqlite-hot-path.ts`, `pg-statements.ts`). */
    private readonly fast: FastPaths = {},
  ) {}

  async get(id: string): Promise<Conversation | undefined> {
    const row = await this.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toConversation(row);
  }

  async latest(customerId: string): Promise<Conversation | undefined> {
    const row = await this.db.selectFrom('conversations').selectAll().where('customer_id', '=', customerId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    return row && toConversation(row);
  }

  async listOfCustomer(customerId: string, limit = 20): Promise<Conversation[]> {
    const rows = await this.db.selectFrom('conversations').selectAll().where('customer_id', '=', customerId).orderBy('created_at', 'desc').limit(limit).execute();
    return rows.map(toConversation);
  }

  inThread(customerId: string, threadKey: string): Promise<Conversation | undefined> {
    return newestInThread(this.db, customerId, threadKey);
  }

  inThreadCounting(customerId: string, threadKey: string, rate: RateHit): Promise<{ conversation: Conversation | undefined; hits: number }> {
    return threadIntake(this.db, this.fast, customerId, threadKey, rate);
  }

  /**
   * Opens the thread's next conversation, race-free (the (customer, thread, generation) key
   * lets one insert win), together with the `conversation_started` event that counts it: one
   * statement on PostgreSQL, one transaction on SQLite — never a conversation without its event.
   */
  async openInThread(
    input: { customerId: string; channel: Channel; threadKey: string; channelRef?: unknown },
    after?: Conversation,
  ): Promise<{ conversation: Conversation; created: boolean }> {
    const t = now();
    const generation = (after?.generation ?? 0) + 1;
    const values = {
      id: randomUUID(),
      customer_id: input.customerId,
      channel: input.channel,
      thread_key: input.threadKey,
      generation,
      state: 'bot',
      bot_state: JSON.stringify({ misses: 0, tried: [] }),
      last_seq: 0,
      assignee_id: null,
      channel_ref: input.channelRef === undefined ? null : JSON.stringify(input.channelRef),
      email: null,
      created_at: t,
      updated_at: t,
      resolved_at: null,
    };
    const started = { type: 'conversation_started', conversation_id: values.id, ticket_id: null, channel: input.channel, agent_id: null, data: '{}', created_at: t };
    const insert = (db: Kysely<Database>) =>
      db.insertInto('conversations').values(values).onConflict((oc) => oc.columns(['customer_id', 'thread_key', 'generation']).doNothing());
    let row: Selectable<ConversationsTable> | undefined;
    if (this.dialect === 'postgres') {
      row = await this.db
        .with('created', () => insert(this.db).returningAll())
        .with('started', (db) => db.insertInto('events').columns(['type', 'conversation_id', 'ticket_id', 'channel', 'agent_id', 'data', 'created_at']).expression(
          db.selectFrom('created').select([sql.lit(started.type).as('type'), 'created.id', sql<null>`null`.as('ticket_id'), 'created.channel', sql<null>`null`.as('agent_id'), sql.val(started.data).as('data'), 'created.created_at']),
        ))
        .selectFrom('created')
        .selectAll()
        .executeTakeFirst();
    } else {
      row = await this.db.transaction().execute(async (trx) => {
        const created = await insert(trx).returningAll().executeTakeFirst();
        if (created) await trx.insertInto('events').values(started).execute();
        return created;
      });
    }
    if (row) return { conversation: toConversation(row), created: true };
    const winner = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('customer_id', '=', input.customerId)
      .where('thread_key', '=', input.threadKey)
      .where('generation', '=', generation)
      .executeTakeFirstOrThrow();
    return { conversation: toConversation(winner), created: false };
  }

  async update(id: string, patch: ConversationPatch): Promise<Conversation> {
    const row = await this.db
      .updateTable('conversations')
      .set({
        updated_at: now(),
        ...(patch.state !== undefined ? { state: patch.state } : {}),
        ...(patch.botState !== undefined ? { bot_state: JSON.stringify(patch.botState) } : {}),
        ...(patch.assigneeId !== undefined ? { assignee_id: patch.assigneeId } : {}),
        ...(patch.channelRef !== undefined ? { channel_ref: JSON.stringify(patch.channelRef) } : {}),
        ...(patch.email !== undefined ? { email: patch.email } : {}),
        ...(patch.resolvedAt !== undefined ? { resolved_at: patch.resolvedAt } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('conversation', id);
    return toConversation(row);
  }

  append(input: NewMessage, outbox: NewOutboxItem[] = []): Promise<AppendResult> {
    return appendMessage(this.db, this.dialect, input, outbox);
  }

  appendTurnIfCurrent(expected: ConversationVersion, rate: RateHit & { limit: number }, turn: BotTurnWrite): Promise<TurnIfCurrent | undefined> {
    return writeTurnIfCurrent(this.db, this.fast, expected, rate, turn);
  }

  appendTurn(turn: BotTurnWrite): Promise<BotTurnResult> {
    return writeBotTurn(this.db, this.fast, turn);
  }

  async listMessages(conversationId: string, afterSeq = 0, limit = 500): Promise<ChatMessage[]> {
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(limit)
      .execute();
    return rows.map(toMessage);
  }

  async message(id: string): Promise<ChatMessage | undefined> {
    const row = await this.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toMessage(row);
  }

  async link(key: string, conversationId: string, ticketId: string | null = null): Promise<void> {
    await this.db
      .insertInto('conversation_links')
      .values({ key, conversation_id: conversationId, ticket_id: ticketId, created_at: now() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }

  async byLink(key: string): Promise<{ conversationId: string; ticketId: string | null } | undefined> {
    const row = await this.db.selectFrom('conversation_links').select(['conversation_id', 'ticket_id']).where('key', '=', key).executeTakeFirst();
    return row && { conversationId: row.conversation_id, ticketId: row.ticket_id };
  }
}
