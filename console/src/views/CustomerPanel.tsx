import { Fragment } from 'preact';
import { formatTime, safeHref } from '../format';
import { CHANNEL_LABEL, type CustomerInfo, type TicketDetail } from '../types';

interface Props {
  customer: CustomerInfo | null;
  conversation: TicketDetail['conversation'];
  previous: TicketDetail['previousConversations'];
}

/** Who the agent is talking to: contact details, where they were, attributes, history. */
export function CustomerPanel({ customer, conversation, previous }: Props) {
  const page = safeHref(customer?.pageUrl);
  const attributes = Object.entries(customer?.attributes ?? {});
  return (
    <aside class="customer-panel" aria-labelledby="customer-heading" data-testid="customer-panel">
      <h2 id="customer-heading">Customer</h2>
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
          {customer.lastSeenAt && (
            <>
              <dt>Last seen</dt>
              <dd>{formatTime(customer.lastSeenAt)}</dd>
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
      {previous.length === 0 ? (
        <p class="muted">This is their first conversation.</p>
      ) : (
        <ul class="previous">
          {previous.map((p) => (
            <li key={p.id}>
              <span>{formatTime(p.createdAt)}</span> <span class="chip">{CHANNEL_LABEL[p.channel] ?? p.channel}</span> <span class="muted">{p.state}</span>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
