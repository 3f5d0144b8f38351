import type { Kysely } from 'kysely';
import { now, toEvent } from './rows';
import type { Database } from './schema';
import type { EventRow, NewEvent } from './types';

export interface EventStore {
  log(event: NewEvent): Promise<void>;
  list(range: { from: string; to: string; types?: string[]; channel?: string }): Promise<EventRow[]>;
  ofConversation(conversationId: string): Promise<EventRow[]>;
}

export class KyselyEvents implements EventStore {
  constructor(private readonly db: Kysely<Database>) {}

  async log(event: NewEvent): Promise<void> {
    await this.db
      .insertInto('events')
      .values({
        type: event.type,
        conversation_id: event.conversationId ?? null,
        ticket_id: event.ticketId ?? null,
        channel: event.channel ?? null,
        agent_id: event.agentId ?? null,
        data: JSON.stringify(event.data ?? {}),
        created_at: now(),
      })
      .execute();
  }

  async list(range: { from: string; to: string; types?: string[]; channel?: string }): Promise<EventRow[]> {
    let q = this.db.selectFrom('events').selectAll().where('created_at', '>=', range.from).where('created_at', '<', range.to);
    if (range.types?.length) q = q.where('type', 'in', range.types);
    if (range.channel) q = q.where('channel', '=', range.channel);
    return (await q.orderBy('id', 'asc').execute()).map(toEvent);
  }

  async ofConversation(conversationId: string): Promise<EventRow[]> {
    const rows = await this.db.selectFrom('events').selectAll().where('conversation_id', '=', conversationId).orderBy('id', 'asc').execute();
    return rows.map(toEvent);
  }
}
