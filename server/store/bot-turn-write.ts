import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import { notFound } from '../domain/errors';
import type { Channel, ChatMessage } from '../domain/transcript';
import { dueAt, now, toMessage } from './rows';
import type { Database, MessagesTable } from './schema';
import type { NewMessage, NewOutboxItem } from './types';

export interface BotTurnWrite {
  conversationId: string;
  channel: Channel;
  botState: unknown;
  messages: { author: NewMessage['author']; content: NewMessage['content']; outbox: NewOutboxItem[] }[];
  events: { type: string; data: Record<string, unknown> }[];
}

/**
 * The bot's turn in one transaction (one statement on PostgreSQL): its new state, its replies
 * (numbered after the conversation's last message) with their outbox rows, and the events that
 * only record what it did. One round trip instead of one per reply and event.
 */
export async function writeBotTurn(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', turn: BotTurnWrite): Promise<ChatMessage[]> {
  const at = now();
  const ids = turn.messages.map(() => randomUUID());
  const outbox = turn.messages.flatMap((m, i) => m.outbox.map((o) => ({ ...o, messageId: ids[i]! })));
  if (dialect === 'postgres') {
    const n = turn.messages.length;
    const { rows } = await sql<Selectable<MessagesTable>>`
      with counter as (
        update conversations set bot_state = ${JSON.stringify(turn.botState)}, last_seq = last_seq + ${n}::int, updated_at = ${at}
        where id = ${turn.conversationId}
        returning last_seq
      ), inserted as (
        insert into messages (id, conversation_id, seq, author, author_id, author_name, content, client_id, created_at)
        select m.id, ${turn.conversationId}, counter.last_seq - ${n}::int + m.ord::int, m.author, null, null, m.content, null, ${at}
        from counter, unnest(${ids}::text[], ${turn.messages.map((m) => m.author)}::text[], ${turn.messages.map((m) => JSON.stringify(m.content))}::text[])
          with ordinality as m(id, author, content, ord)
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
    return rows.map(toMessage);
  }
  return db.transaction().execute(async (trx) => {
    const counter = await trx
      .updateTable('conversations')
      .set({ bot_state: JSON.stringify(turn.botState), last_seq: sql`last_seq + ${turn.messages.length}`, updated_at: at })
      .where('id', '=', turn.conversationId)
      .returning('last_seq')
      .executeTakeFirst();
    if (!counter) throw notFound('conversation', turn.conversationId);
    const first = Number(counter.last_seq) - turn.messages.length + 1;
    const messages: ChatMessage[] = [];
    for (const [i, m] of turn.messages.entries()) {
      const row = await trx
        .insertInto('messages')
        .values({ id: ids[i]!, conversation_id: turn.conversationId, seq: first + i, author: m.author, author_id: null, author_name: null, content: JSON.stringify(m.content), client_id: null, created_at: at })
        .returningAll()
        .executeTakeFirstOrThrow();
      messages.push(toMessage(row));
    }
    for (const o of outbox) {
      await trx
        .insertInto('outbox')
        .values({ channel: o.channel, conversation_id: turn.conversationId, message_id: o.messageId, payload: JSON.stringify(o.payload), state: 'pending', attempts: 0, next_attempt_at: dueAt(at, o.delayMs), lease_owner: null, lease_until: null, last_error: null, created_at: at, done_at: null })
        .execute();
    }
    for (const e of turn.events) {
      await trx.insertInto('events').values({ type: e.type, conversation_id: turn.conversationId, ticket_id: null, channel: turn.channel, agent_id: null, data: JSON.stringify(e.data), created_at: at }).execute();
    }
    return messages;
  });
}
