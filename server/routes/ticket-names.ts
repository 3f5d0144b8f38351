import type { Store, Ticket } from '../store/types';

/** Tickets as the console lists them: with the assignee's and customer's names and whether the first-response SLA is breached. */
export async function ticketsWithNames(store: Store, tickets: Ticket[]) {
  const agents = new Map((await store.agents.list()).map((a) => [a.id, a.name]));
  return Promise.all(
    tickets.map(async (t) => {
      const customer = await store.customers.get(t.customerId);
      return {
        ...t,
        assigneeName: t.assigneeId ? (agents.get(t.assigneeId) ?? null) : null,
        customerName: customer?.name ?? customer?.email ?? null,
        slaBreached: t.firstResponseAt ? t.firstResponseAt > t.firstResponseDueAt : Date.now() > Date.parse(t.firstResponseDueAt),
      };
    }),
  );
}
