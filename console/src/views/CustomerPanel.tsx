import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { formatTime, safeHref } from '../format';
import { QUEUE_PATH } from '../routes';
import { CHANNEL_LABEL, type CustomerInfo, type PastConversation, type TicketDetail } from '../types';

interface Props {
  customer: CustomerInfo | null;
  conversation: TicketDetail['conversation'];
  previous: TicketDetail['previousConversations'];
  /** When the customer last wrote or typed here: fresher than the visit's start. */
  lastActivity: string | undefined;
  /** Close the panel where it is a drawer (narrow screens). */
  onClose(): void;
}

/** Who the agent is talking to: contact details, where they were, attributes, history. */
export function CustomerPanel({ customer, conversation, previous, lastActivity, onClose }: Props) {
  const [past, setPast] = useState<PastConversation[] | null>(null);
  const customerId = customer?.id;
  useEffect(() => {
    if (!customerId) return;
    let live = true;
    api.customerConversations(customerId).then(
      (r) => live && setPast(r.conversations.filter((c) => c.id !== conversation?.id)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [customerId, conversation?.id, previous.length]);
  const earlier = past ?? previous.map((p) => ({ ...p, subject: null, ticketId: null }));
  const page = safeHref(customer?.pageUrl);
  const attributes = Object.entries(customer?.attributes ?? {});
  return (
    <aside class="customer-panel" id="customer-panel" aria-labelledby="customer-heading" data-testid="customer-panel">
      <div class="panel-top">
        <h2 id="customer-heading">Customer</h2>
        <button type="button" class="ghost small drawer-close" onClick={onClose}>
          Close
        </button>
      </div>
      {!customer ? (
        <p class="muted">No customer record.</p>
      ) : (
        <dl class="facts">
          <dt>Name</dt>
          <dd data-testid="customer-name">{customer.name ?? '—'}</dd>
          <dt>Email</dt>
          <dd data-testid="customer-email">{customer.email ?? conversation?.email ?? '—'}</dd>
          {conversation?.email && conversation.email !== customer.email && (
            <>
              <dt>Reply-to email</dt>
              <dd>{conversation.email}</dd>
            </>
          )}
          <dt>Channel</dt>
          <dd>{conversation ? (CHANNEL_LABEL[conversation.channel] ?? conversation.channel) : '—'}</dd>
          <dt>Page</dt>
          <dd class="break">
            {page ? (
              <a href={page} target="_blank" rel="noopener noreferrer">
                {customer.pageUrl}
              </a>
            ) : (
              (customer.pageUrl ?? '—')
            )}
          </dd>
          {(customer.lastSeenAt || lastActivity) && (
            <>
              <dt>Last seen</dt>
              <dd data-testid="customer-last-seen">{formatTime([customer.lastSeenAt, lastActivity].filter((x): x is string => !!x).sort().pop()!)}</dd>
            </>
          )}
        </dl>
      )}
      <h3>Attributes</h3>
      {attributes.length === 0 ? (
        <p class="muted">None sent by the site.</p>
      ) : (
        <dl class="facts" data-testid="customer-attributes">
          {attributes.map(([k, v]) => (
            <Fragment key={k}>
              <dt>{k}</dt>
              <dd>{String(v)}</dd>
            </Fragment>
          ))}
        </dl>
      )}
      <h3>Previous conversations</h3>
      {earlier.length === 0 ? (
        <p class="muted">This is their first conversation.</p>
      ) : (
        <ul class="previous" data-testid="previous-conversations">
          {earlier.map((p) => (
            <li key={p.id}>
              {p.ticketId ? (
                <a href={`${QUEUE_PATH}?ticket=${encodeURIComponent(p.ticketId)}`} class="prev-subject">
                  {p.subject ?? '(no subject)'}
                </a>
              ) : (
                <span class="prev-subject">{p.subject ?? 'Answered by the bot'}</span>
              )}
              <span class="prev-meta muted small">
                {formatTime(p.createdAt)} · {CHANNEL_LABEL[p.channel] ?? p.channel} · {p.state === 'resolved' ? 'resolved' : p.state === 'bot' ? 'with the bot' : p.state}
              </span>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
