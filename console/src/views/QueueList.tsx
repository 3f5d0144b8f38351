import { useNow } from '../hooks';
import { slaStatus } from '../sla';
import { CHANNEL_LABEL, type QueueTicket } from '../types';

/** The tickets of the queue (or of a search), each with its SLA countdown. */
export function QueueList({ tickets, selected, fresh, meId, onOpen }: { tickets: QueueTicket[]; selected: string | null; fresh: ReadonlySet<string>; meId: string; onOpen(id: string): void }) {
  const now = useNow(1000);
  return (
    <ul class="queue-list" aria-label="Tickets">
      {tickets.map((t) => {
        const sla = slaStatus(t, now);
        const breached = sla.breached || (t.slaBreached && t.status !== 'resolved' && !t.firstResponseAt);
        const isNew = fresh.has(t.id);
        return (
          <li key={t.id}>
            <button
              type="button"
              class={`queue-item${selected === t.id ? ' selected' : ''}${isNew ? ' is-new' : ''}`}
              aria-current={selected === t.id ? 'true' : undefined}
              data-testid="queue-item"
              data-ticket-id={t.id}
              data-status={t.status}
              onClick={() => onOpen(t.id)}
            >
              <span class="qi-top">
                <span class="qi-subject">{t.subject || '(no subject)'}</span>
                {isNew && <span class="badge new">New</span>}
              </span>
              <span class="qi-meta">
                <span class="qi-customer">{t.customerName ?? 'Anonymous visitor'}</span>
                <span class={`chip channel-${t.channel}`}>{CHANNEL_LABEL[t.channel] ?? t.channel}</span>
                <span class={`chip priority-${t.priority}`}>{t.priority}</span>
              </span>
              <span class="qi-meta">
                <span class="qi-assignee">{t.assigneeId ? (t.assigneeId === meId ? 'You' : (t.assigneeName ?? 'Assigned')) : 'Unassigned'}</span>
                <span class={`sla${breached ? ' breached' : sla.soon ? ' soon' : ''}`} data-testid="sla">
                  {breached && !sla.breached ? 'SLA breached' : sla.label}
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
