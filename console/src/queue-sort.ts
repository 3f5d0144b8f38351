/** How the queue is ordered. The default puts what breaches first on top. */

export type QueueSort = 'sla' | 'newest' | 'oldest' | 'priority';

export const SORT_LABEL: Record<QueueSort, string> = {
  sla: 'SLA due (overdue first)',
  newest: 'Newest first',
  oldest: 'Oldest first',
  priority: 'Priority',
};

interface Sortable {
  status: string;
  priority: string;
  createdAt: string;
  firstResponseDueAt: string;
  firstResponseAt: string | null;
}

const PRIORITY_RANK: Record<string, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/**
 * SLA order: tickets still waiting for a first response, by due time (so overdue ones — due in
 * the past — come first, the most overdue on top); then the ones already answered, oldest
 * first; resolved ones last. Ties go to the higher priority, then the older ticket.
 */
export function sortQueue<T extends Sortable>(tickets: readonly T[], sort: QueueSort): T[] {
  const created = (t: T) => Date.parse(t.createdAt);
  const priority = (t: T) => PRIORITY_RANK[t.priority] ?? 2;
  const group = (t: T) => (t.status === 'resolved' ? 2 : t.firstResponseAt ? 1 : 0);
  const by: Record<QueueSort, (a: T, b: T) => number> = {
    sla: (a, b) =>
      group(a) - group(b) ||
      (group(a) === 0 ? Date.parse(a.firstResponseDueAt) - Date.parse(b.firstResponseDueAt) : 0) ||
      priority(a) - priority(b) ||
      created(a) - created(b),
    newest: (a, b) => created(b) - created(a),
    oldest: (a, b) => created(a) - created(b),
    priority: (a, b) => priority(a) - priority(b) || created(a) - created(b),
  };
  return [...tickets].sort(by[sort]);
}
