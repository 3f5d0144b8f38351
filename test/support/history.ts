import type { Kysely } from 'kysely';
import type { Database } from '../../server/store/schema';
import type { Store } from '../../server/store/types';

/**
 * Writes a conversation history with chosen times straight into the tables, in the shapes the
 * conversation service writes (events, surveys, tickets), so tests and the bench can build a
 * past that the live code would take days to produce.
 */
export const dbOf = (store: Store) => (store as unknown as { db: Kysely<Database> }).db;

export interface SeedCustomer {
  id: string;
  channel: string;
  email?: string;
  name?: string;
  attributes?: Record<string, string | number | boolean>;
}

export interface SeedEvent {
  type: string;
  at: string;
  agentId?: string;
  data?: Record<string, unknown>;
}

export interface SeedTicket {
  id: string;
  createdAt: string;
  dueAt: string;
  firstResponseAt?: string;
  resolvedAt?: string;
  assigneeId?: string;
}

export interface SeedConversation {
  id: string;
  customer: string;
  channel: string;
  state: 'bot' | 'queued' | 'assigned' | 'resolved';
  startedAt: string;
  updatedAt: string;
  events: SeedEvent[];
  ticket?: SeedTicket;
  ces?: { score: number; humanInvolved: boolean; csat?: number };
  nps?: number;
}

export async function seedCustomers(db: Kysely<Database>, customers: SeedCustomer[]): Promise<void> {
  // Chunks keep each INSERT under the bound-parameter limits of both drivers.
  for (let i = 0; i < customers.length; i += 500) {
    await db
      .insertInto('customers')
      .values(
        customers.slice(i, i + 500).map((c) => ({
          id: c.id,
          channel: c.channel,
          external_id: c.channel === 'web' ? null : `ext-${c.id}`,
          name: c.name ?? c.id,
          email: c.email ?? null,
          attributes: JSON.stringify(c.attributes ?? {}),
          page_url: null,
          created_at: '2026-01-01T00:00:00.000Z',
          last_seen_at: '2026-01-01T00:00:00.000Z',
        })),
      )
      .execute();
  }
}

/** Conversations with their events (in the order given: ids follow it), tickets and survey answers. */
export async function seedConversations(db: Kysely<Database>, conversations: SeedConversation[]): Promise<void> {
  for (let i = 0; i < conversations.length; i += 500) {
    await db.insertInto('conversations').values(
      conversations.slice(i, i + 500).map((c) => ({
        id: c.id,
        customer_id: c.customer,
        channel: c.channel,
        thread_key: `thread-${c.id}`,
        generation: 1,
        state: c.state,
        bot_state: '{}',
        last_seq: 0,
        assignee_id: c.ticket?.assigneeId ?? null,
        channel_ref: null,
        email: null,
        created_at: c.startedAt,
        updated_at: c.updatedAt,
        resolved_at: c.state === 'resolved' ? c.updatedAt : null,
      })),
    ).execute();
  }
  const events = conversations.flatMap((c) =>
    c.events.map((e) => ({
      type: e.type,
      conversation_id: c.id,
      ticket_id: c.ticket?.id ?? null,
      channel: c.channel,
      agent_id: e.agentId ?? null,
      data: JSON.stringify(e.data ?? {}),
      created_at: e.at,
    })),
  );
  for (let i = 0; i < events.length; i += 1000) await db.insertInto('events').values(events.slice(i, i + 1000)).execute();
  const tickets = conversations.filter((c) => c.ticket);
  for (let i = 0; i < tickets.length; i += 1000) {
    const chunk = tickets.slice(i, i + 1000);
    if (chunk.length === 0) continue;
    await db
      .insertInto('tickets')
      .values(
        chunk.map((c) => {
          const t = c.ticket!;
          return {
            id: t.id,
            conversation_id: c.id,
            customer_id: c.customer,
            channel: c.channel,
            status: t.resolvedAt ? 'resolved' : t.assigneeId ? 'assigned' : 'open',
            priority: 'normal',
            assignee_id: t.assigneeId ?? null,
            subject: 'help',
            reason: 'customer_request',
            tags: '[]',
            attempts: '[]',
            first_response_due_at: t.dueAt,
            first_response_at: t.firstResponseAt ?? null,
            resolved_at: t.resolvedAt ?? null,
            created_at: t.createdAt,
            updated_at: t.createdAt,
          };
        }),
      )
      .execute();
  }
  const surveys = conversations.flatMap((c) => [
    ...(c.ces
      ? [{ id: `ces-${c.id}`, conversation_id: c.id, channel: c.channel, kind: 'ces', score: c.ces.score, comment: null, article_id: null, intent: null, agent_id: c.ticket?.assigneeId ?? null, human_involved: c.ces.humanInvolved ? 1 : 0, csat: c.ces.csat ?? null, created_at: c.updatedAt }]
      : []),
    ...(c.nps !== undefined
      ? [{ id: `nps-${c.id}`, conversation_id: c.id, channel: c.channel, kind: 'nps', score: c.nps, comment: null, article_id: null, intent: null, agent_id: null, human_involved: c.ticket ? 1 : 0, csat: null, created_at: c.updatedAt }]
      : []),
  ]);
  for (let i = 0; i < surveys.length; i += 1000) await db.insertInto('surveys').values(surveys.slice(i, i + 1000)).execute();
}
