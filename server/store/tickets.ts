import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { notFound } from '../domain/errors';
import { now, toTicket } from './rows';
import type { Database } from './schema';
import { indexConversation, refreshHeads } from './search-index';
import type { ClaimResult, Ticket, TicketFilter } from './types';

export type NewTicket = Omit<Ticket, 'id' | 'createdAt' | 'updatedAt' | 'firstResponseAt' | 'resolvedAt' | 'assigneeId' | 'status'>;
export type TicketPatch = Partial<Pick<Ticket, 'status' | 'priority' | 'tags' | 'assigneeId' | 'firstResponseAt' | 'resolvedAt' | 'subject'>>;

export interface TicketStore {
  create(input: NewTicket): Promise<Ticket>;
  get(id: string): Promise<Ticket | undefined>;
  byConversation(conversationId: string): Promise<Ticket | undefined>;
  /** Tickets whose id starts with `prefix` (at most `limit`): an index range, never a scan. */
  byIdPrefix(prefix: string, limit?: number): Promise<Ticket[]>;
  list(filter?: TicketFilter): Promise<Ticket[]>;
  /** Atomic: only succeeds when nobody holds the ticket (or `force` for transfers). */
  claim(id: string, agentId: string, options?: { force?: boolean }): Promise<ClaimResult | undefined>;
  update(id: string, patch: TicketPatch): Promise<Ticket>;
}

/** The smallest string greater than every string that starts with `prefix`. */
function prefixEnd(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

export class KyselyTickets implements TicketStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: NewTicket): Promise<Ticket> {
    const t = now();
    const row = await this.db
      .insertInto('tickets')
      .values({
        id: randomUUID(),
        conversation_id: input.conversationId,
        customer_id: input.customerId,
        channel: input.channel,
        status: 'open',
        priority: input.priority,
        assignee_id: null,
        subject: input.subject,
        reason: input.reason,
        tags: JSON.stringify(input.tags),
        attempts: JSON.stringify(input.attempts),
        first_response_due_at: input.firstResponseDueAt,
        first_response_at: null,
        resolved_at: null,
        created_at: t,
        updated_at: t,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await indexConversation(this.db, input.conversationId);
    return toTicket(row);
  }

  async get(id: string): Promise<Ticket | undefined> {
    const row = await this.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toTicket(row);
  }

  async byConversation(conversationId: string): Promise<Ticket | undefined> {
    const row = await this.db.selectFrom('tickets').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();
    return row && toTicket(row);
  }

  async byIdPrefix(prefix: string, limit = 2): Promise<Ticket[]> {
    if (!/^[0-9a-f-]{1,36}$/.test(prefix)) return [];
    const rows = await this.db.selectFrom('tickets').selectAll().where('id', '>=', prefix).where('id', '<', prefixEnd(prefix)).limit(limit).execute();
    return rows.map(toTicket).filter((t) => t.id.startsWith(prefix));
  }

  async list(filter: TicketFilter = {}): Promise<Ticket[]> {
    let q = this.db.selectFrom('tickets').selectAll();
    if (filter.status?.length) q = q.where('status', 'in', filter.status);
    if (filter.channel) q = q.where('channel', '=', filter.channel);
    if (filter.priority) q = q.where('priority', '=', filter.priority);
    if (filter.createdFrom) q = q.where('created_at', '>=', filter.createdFrom);
    if (filter.createdTo) q = q.where('created_at', '<', filter.createdTo);
    if (filter.assigneeId === null) q = q.where('assignee_id', 'is', null);
    else if (filter.assigneeId) q = q.where('assignee_id', '=', filter.assigneeId);
    const rows = await q.orderBy('created_at', 'desc').limit(Math.min(filter.limit ?? 100, 10_000)).execute();
    return rows.map(toTicket);
  }

  async claim(id: string, agentId: string, options: { force?: boolean } = {}): Promise<ClaimResult | undefined> {
    // A single conditional UPDATE is the atomic step: of two concurrent claims exactly one
    // matches `assignee_id IS NULL`, in SQLite and in PostgreSQL alike.
    let q = this.db.updateTable('tickets').set({ assignee_id: agentId, status: 'assigned', updated_at: now() }).where('id', '=', id).where('status', '!=', 'resolved');
    if (!options.force) q = q.where('assignee_id', 'is', null);
    const row = await q.returningAll().executeTakeFirst();
    if (row) return { ok: true, ticket: toTicket(row) };
    const current = await this.get(id);
    return current && { ok: current.assigneeId === agentId, ticket: current };
  }

  async update(id: string, patch: TicketPatch): Promise<Ticket> {
    const row = await this.db
      .updateTable('tickets')
      .set({
        updated_at: now(),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
        ...(patch.tags !== undefined ? { tags: JSON.stringify(patch.tags) } : {}),
        ...(patch.assigneeId !== undefined ? { assignee_id: patch.assigneeId } : {}),
        ...(patch.firstResponseAt !== undefined ? { first_response_at: patch.firstResponseAt } : {}),
        ...(patch.resolvedAt !== undefined ? { resolved_at: patch.resolvedAt } : {}),
        ...(patch.subject !== undefined ? { subject: patch.subject } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('ticket', id);
    // Reopened: bot-led turns since it was resolved were not indexed (see search-index.ts).
    if (patch.status === 'open') await indexConversation(this.db, row.conversation_id);
    else if (patch.subject !== undefined) await refreshHeads(this.db, { conversationId: row.conversation_id });
    return toTicket(row);
  }
}
