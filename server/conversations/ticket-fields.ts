import { notFound } from '../domain/errors';
import type { RealtimeBus } from '../realtime/bus';
import type { Store, Ticket, TicketPriority } from '../store/types';

/** At most this many tags on a ticket. */
const MAX_TAGS = 20;

export interface TicketChange {
  priority?: TicketPriority;
  /** Replaces the tags. */
  tags?: string[];
  addTags?: string[];
  removeTags?: string[];
}

/** Priority and tags of a ticket: one rule for the console and the API (tags unique, trimmed, bounded). */
export async function updateTicket(store: Store, bus: RealtimeBus, ticketId: string, change: TicketChange): Promise<Ticket> {
  const ticket = await store.tickets.get(ticketId);
  if (!ticket) throw notFound('ticket', ticketId);
  let tags: string[] | undefined;
  if (change.tags || change.addTags || change.removeTags) {
    const remove = new Set((change.removeTags ?? []).map((t) => t.trim()));
    tags = [...new Set([...(change.tags ?? ticket.tags), ...(change.addTags ?? [])].map((t) => t.trim()).filter((t) => t && !remove.has(t)))].slice(0, MAX_TAGS);
  }
  const updated = await store.tickets.update(ticket.id, { ...(change.priority ? { priority: change.priority } : {}), ...(tags ? { tags } : {}) });
  bus.publish({ type: 'ticket', ticketId: ticket.id, conversationId: ticket.conversationId });
  return updated;
}
