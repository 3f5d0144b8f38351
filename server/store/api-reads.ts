import { type Kysely, sql } from 'kysely';
import type { Channel } from '../domain/transcript';
import { toConversation, toCustomer, toStoredSurvey, toTicket } from './rows';
import type { Database } from './schema';
import type { Conversation, Customer, StoredSurvey, Ticket, TicketPriority, TicketStatus } from './types';

/** A keyset position: the last row of the previous page (newest first: created_at desc, id desc). */
export interface Position {
  at: string;
  id: string;
}

export interface TicketQuery {
  status?: TicketStatus[];
  priority?: TicketPriority[];
  channel?: Channel;
  assigneeId?: string | null;
  tag?: string;
  customerId?: string;
}

/**
 * Keyset-paginated reads for the public API (stable under inserts, an index range per page,
 * no OFFSET scans) and the few look-ups only the API needs.
 */
export interface ApiReadStore {
  customers(after: Position | undefined, limit: number, filter?: { email?: string }): Promise<Customer[]>;
  customerByEmail(email: string): Promise<Customer | undefined>;
  conversations(after: Position | undefined, limit: number, filter?: { customerId?: string; state?: string }): Promise<Conversation[]>;
  tickets(after: Position | undefined, limit: number, filter: TicketQuery): Promise<Ticket[]>;
  surveys(after: Position | undefined, limit: number, filter: { from?: string; to?: string; channel?: Channel }): Promise<(StoredSurvey & { id: string })[]>;
  /** Unresolved tickets without a first response whose due time passed in (since, until]. */
  overdueTickets(since: string, until: string, limit: number): Promise<Ticket[]>;
}

type Keyed = { created_at: string; id: string };

export class KyselyApiReads implements ApiReadStore {
  constructor(private readonly db: Kysely<Database>) {}

  // Rows strictly after the position in (created_at desc, id desc) order.
  private after<Q extends { where: (...args: any[]) => Q }>(q: Q, pos: Position | undefined): Q {
    if (!pos) return q;
    return q.where((eb: any) => eb.or([eb('created_at', '<', pos.at), eb.and([eb('created_at', '=', pos.at), eb('id', '<', pos.id)])]));
  }

  async customers(after: Position | undefined, limit: number, filter: { email?: string } = {}): Promise<Customer[]> {
    let q = this.after(this.db.selectFrom('customers').selectAll(), after);
    if (filter.email) q = q.where('email', '=', filter.email);
    return (await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toCustomer);
  }

  async customerByEmail(email: string): Promise<Customer | undefined> {
    const row = await this.db.selectFrom('customers').selectAll().where('email', '=', email).orderBy('created_at', 'asc').limit(1).executeTakeFirst();
    return row && toCustomer(row);
  }

  async conversations(after: Position | undefined, limit: number, filter: { customerId?: string; state?: string } = {}): Promise<Conversation[]> {
    let q = this.after(this.db.selectFrom('conversations').selectAll(), after);
    if (filter.customerId) q = q.where('customer_id', '=', filter.customerId);
    if (filter.state) q = q.where('state', '=', filter.state);
    return (await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toConversation);
  }

  async tickets(after: Position | undefined, limit: number, f: TicketQuery): Promise<Ticket[]> {
    let q = this.after(this.db.selectFrom('tickets').selectAll(), after);
    if (f.status?.length) q = q.where('status', 'in', f.status);
    if (f.priority?.length) q = q.where('priority', 'in', f.priority);
    if (f.channel) q = q.where('channel', '=', f.channel);
    if (f.customerId) q = q.where('customer_id', '=', f.customerId);
    if (f.assigneeId === null) q = q.where('assignee_id', 'is', null);
    else if (f.assigneeId) q = q.where('assignee_id', '=', f.assigneeId);
    // Tags are a JSON array of strings: match the quoted tag (JSON escapes " and \).
    if (f.tag) q = q.where(sql<boolean>`tags like ${`%${JSON.stringify(f.tag).replace(/[\\%_]/g, (m) => `\\${m}`)}%`} escape '\\'`);
    return (await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toTicket);
  }

  async surveys(after: Position | undefined, limit: number, f: { from?: string; to?: string; channel?: Channel }): Promise<(StoredSurvey & { id: string })[]> {
    let q = this.after(this.db.selectFrom('surveys').selectAll().where('kind', '=', 'ces'), after);
    if (f.from) q = q.where('created_at', '>=', f.from);
    if (f.to) q = q.where('created_at', '<', f.to);
    if (f.channel) q = q.where('channel', '=', f.channel);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, ...toStoredSurvey(r) }));
  }

  async overdueTickets(since: string, until: string, limit: number): Promise<Ticket[]> {
    const rows = await this.db
      .selectFrom('tickets')
      .selectAll()
      .where('status', '!=', 'resolved')
      .where('first_response_at', 'is', null)
      .where('first_response_due_at', '>', since)
      .where('first_response_due_at', '<=', until)
      .orderBy('first_response_due_at', 'asc')
      .limit(limit)
      .execute();
    return rows.map(toTicket);
  }
}

export const positionOf = (row: Keyed | { createdAt: string; id: string }): Position => ('created_at' in row ? { at: row.created_at, id: row.id } : { at: row.createdAt, id: row.id });
