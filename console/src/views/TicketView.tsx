import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, newClientId } from '../api';
import type { DeliveryProblem } from '../types';
import type { ConsoleEvents } from '../events';
import { capitalize, formatTime } from '../format';
import { useConsoleEvents, useNow } from '../hooks';
import { slaStatus } from '../sla';
import { type AgentInfo, type CannedResponse, CHANNEL_LABEL, type ChatMessage, type HelpArticle, PRIORITY_LIST, type TicketDetail, type TicketPriority } from '../types';
import { BotAttempts } from './BotAttempts';
import { Composer } from './Composer';
import { CustomerPanel } from './CustomerPanel';
import { TagsEditor } from './TagsEditor';
import { Transcript } from './Transcript';

interface Props {
  ticketId: string;
  me: AgentInfo;
  agents: AgentInfo[];
  canned: CannedResponse[];
  events: ConsoleEvents;
  /** Something changed through this view: refresh the queue. */
  onChanged(): void;
  /** Back to the queue (phones show one pane at a time). */
  onBack(): void;
}

const TYPING_MS = 5000;

export function TicketView({ ticketId, me, agents, canned, events, onChanged, onBack }: Props) {
  const [showCustomer, setShowCustomer] = useState(false);
  const [detail, setDetail] = useState<TicketDetail | null>(null);
  const [loadError, setLoadError] = useState('');
  const [actionError, setActionError] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [typing, setTyping] = useState(false);
  const request = useRef(0);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const now = useNow(1000);

  const load = useCallback(async () => {
    const id = ++request.current;
    try {
      const d = await api.ticket(ticketId);
      if (id !== request.current) return;
      setDetail(d);
      setLoadError('');
    } catch (err) {
      if (id !== request.current) return;
      if (err instanceof ApiError && err.status === 401) return;
      setLoadError(err instanceof ApiError && err.status === 404 ? 'This ticket does not exist (any more).' : err instanceof Error ? err.message : 'The ticket could not be loaded.');
    }
  }, [ticketId]);

  useEffect(() => {
    void load();
    return () => {
      if (typingTimer.current) clearTimeout(typingTimer.current);
    };
  }, [load]);

  const conversationId = detail?.ticket.conversationId;
  useConsoleEvents(
    events,
    (e) => {
      if (e.type === 'ticket' && e.ticketId === ticketId) void load();
      else if ((e.type === 'message' || e.type === 'conversation') && e.conversationId === conversationId) {
        if (e.type === 'message') setTyping(false);
        void load();
      } else if (e.type === 'typing' && e.conversationId === conversationId && e.author === 'customer') {
        setTyping(true);
        if (typingTimer.current) clearTimeout(typingTimer.current);
        typingTimer.current = setTimeout(() => setTyping(false), TYPING_MS);
      }
    },
    () => void load(),
  );

  /** Run one ticket action; errors are shown above the transcript, in the server's words. */
  const act = async (name: string, fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(name);
    setActionError('');
    try {
      await fn();
      await load();
      onChanged();
      return true;
    } catch (err) {
      const msg = err instanceof Error ? err.message : 'That did not work.';
      setActionError(capitalize(msg));
      if (err instanceof ApiError && err.status === 409) void load();
      return false;
    } finally {
      setBusy(null);
    }
  };

  if (loadError && !detail)
    return (
      <div class="empty-state" role="alert">
        <h2>Ticket unavailable</h2>
        <p>{loadError}</p>
        <button type="button" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  if (!detail) return <p class="muted pad">Loading the ticket…</p>;

  const { ticket, customer, conversation, messages } = detail;
  const mine = ticket.assigneeId === me.id;
  const resolved = ticket.status === 'resolved';
  const sla = slaStatus(ticket, now);
  const assignedElsewhere = ticket.assigneeId !== null && !mine;
  const replyBlocked = resolved
    ? 'This ticket is resolved. Reopen it to reply.'
    : assignedElsewhere && me.role !== 'admin'
      ? `${ticket.assigneeName ?? 'Another agent'} has this ticket. Ask them or an admin to transfer it to you before replying.`
      : null;

  const addMessage = (m: ChatMessage) =>
    setDetail((d) => (d && !d.messages.some((x) => x.id === m.id) ? { ...d, messages: [...d.messages, m].sort((a, b) => a.seq - b.seq) } : d));

  const reply = async (text: string, note: boolean): Promise<boolean> => {
    setActionError('');
    try {
      const { message } = note ? await api.note(ticket.id, text) : await api.reply(ticket.id, text, newClientId());
      if (message) addMessage(message);
      void load();
      onChanged();
      return true;
    } catch (err) {
      setActionError(capitalize(err instanceof Error ? err.message : 'The message was not sent.'));
      return false;
    }
  };

  const shareArticle = async (article: HelpArticle): Promise<boolean> => {
    setActionError('');
    try {
      const { message } = await api.sendArticle(ticket.id, article.id);
      if (message) addMessage(message);
      void load();
      onChanged();
      return true;
    } catch (err) {
      setActionError(capitalize(err instanceof Error ? err.message : 'The article was not sent.'));
      return false;
    }
  };

  return (
    <div class={`ticket-layout${showCustomer ? ' show-customer' : ''}`}>
      <section class="ticket" aria-labelledby="ticket-subject" data-testid="ticket-view" data-ticket-id={ticket.id} data-status={ticket.status}>
        <header class="ticket-head">
          <div class="ticket-title">
            {/* On phones the queue (and its h1) is hidden while a ticket is open. */}
            <h1 class="sr-only ticket-h1">Ticket</h1>
            <div class="ticket-nav">
              <button type="button" class="ghost small back" onClick={onBack} data-testid="back-to-queue">
                ← Queue
              </button>
              <button type="button" class="small customer-toggle" aria-expanded={showCustomer} aria-controls="customer-panel" onClick={() => setShowCustomer(!showCustomer)} data-testid="customer-toggle">
                {showCustomer ? 'Hide customer' : 'Customer'}
              </button>
            </div>
            <h2 id="ticket-subject">{ticket.subject || '(no subject)'}</h2>
            <p class="meta">
              <span class={`status status-${ticket.status}`} data-testid="ticket-status">
                {ticket.status}
              </span>
              <span>{CHANNEL_LABEL[ticket.channel] ?? ticket.channel}</span>
              <span>Opened {formatTime(ticket.createdAt)}</span>
              <span data-testid="ticket-assignee">{ticket.assigneeId ? `Assigned to ${mine ? 'you' : (ticket.assigneeName ?? 'another agent')}` : 'Unassigned'}</span>
              <span class={`sla${sla.breached ? ' breached' : sla.soon ? ' soon' : ''}`}>{sla.label}</span>
            </p>
          </div>
          <div class="ticket-actions" role="group" aria-label="Ticket actions">
            {!resolved && !mine && (
              <button type="button" class="primary" data-testid="claim" disabled={busy !== null} onClick={() => void act('claim', () => api.claim(ticket.id))}>
                {busy === 'claim' ? 'Claiming…' : 'Claim'}
              </button>
            )}
            {!resolved && <AssignControl agents={agents} current={ticket.assigneeId} disabled={busy !== null} onAssign={(id) => void act('assign', () => api.assign(ticket.id, id))} />}
            <label class="inline">
              <span>Priority</span>
              <select
                value={ticket.priority}
                data-testid="priority"
                disabled={busy !== null}
                onChange={(e) => {
                  const priority = e.currentTarget.value as TicketPriority;
                  void act('priority', () => api.patchTicket(ticket.id, { priority }));
                }}
              >
                {PRIORITY_LIST.map((p) => (
                  <option key={p} value={p}>
                    {capitalize(p)}
                  </option>
                ))}
              </select>
            </label>
            {resolved ? (
              <button type="button" data-testid="reopen" disabled={busy !== null} onClick={() => void act('reopen', () => api.reopen(ticket.id))}>
                {busy === 'reopen' ? 'Reopening…' : 'Reopen'}
              </button>
            ) : (
              <button type="button" class="resolve" data-testid="resolve" disabled={busy !== null} onClick={() => void act('resolve', () => api.resolve(ticket.id))}>
                {busy === 'resolve' ? 'Resolving…' : 'Resolve'}
              </button>
            )}
          </div>
          <TagsEditor tags={ticket.tags} disabled={busy !== null} onChange={(tags) => act('tags', () => api.patchTicket(ticket.id, { tags }))} />
          {actionError && (
            <p class="error" role="alert" data-testid="action-error">
              {actionError}
            </p>
          )}
        </header>
        <DeliveryProblems problems={detail.deliveryProblems ?? []} channel={ticket.channel} />
        <BotAttempts attempts={ticket.attempts} reason={ticket.reason} />
        <Transcript messages={messages} />
        {typing && (
          <p class="typing" aria-live="polite">
            {customer?.name ?? 'The customer'} is typing…
          </p>
        )}
        <Composer
          key={ticket.id}
          ticketId={ticket.id}
          me={me}
          customer={customer}
          canned={canned}
          replyBlocked={replyBlocked}
          onSend={reply}
          version={messages.length}
          onArticle={shareArticle}
          onUploaded={(m) => {
            addMessage(m);
            void load();
            onChanged();
          }}
          onError={(msg) => setActionError(capitalize(msg))}
        />
      </section>
      <CustomerPanel
        customer={customer}
        conversation={conversation}
        previous={detail.previousConversations}
        lastActivity={typing ? new Date(now).toISOString() : [...messages].reverse().find((m) => m.author === 'customer')?.createdAt}
        onClose={() => setShowCustomer(false)}
      />
    </div>
  );
}

function AssignControl({ agents, current, disabled, onAssign }: { agents: AgentInfo[]; current: string | null; disabled: boolean; onAssign(id: string): void }) {
  const [target, setTarget] = useState('');
  const options = agents.filter((a) => a.id !== current);
  return (
    <form
      class="assign"
      onSubmit={(e) => {
        e.preventDefault();
        const agent = agents.find((a) => a.id === target);
        if (!agent) return;
        // Handing a customer to someone who is not here leaves them waiting while told they are helped.
        if (agent.presence !== 'online' && !confirm(`${agent.name} is ${agent.presence ?? 'offline'} right now. The customer would wait until ${agent.name} is back. Transfer anyway?`)) return;
        onAssign(target);
        setTarget('');
      }}
    >
      <label class="inline">
        <span>Transfer to</span>
        <select value={target} onChange={(e) => setTarget(e.currentTarget.value)} data-testid="assign-select" disabled={disabled || options.length === 0}>
          <option value="">Choose an agent…</option>
          {options.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
              {a.presence === 'online' ? ' (online)' : ` (${a.presence ?? 'offline'})`}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" data-testid="assign" disabled={disabled || !target}>
        Assign
      </button>
    </form>
  );
}

const PLATFORM: Record<string, string> = { slack: 'Slack', msteams: 'Teams', web: 'the widget', email: 'email' };

/** Replies that did not reach the customer's platform, with the platform's own reason. */
function DeliveryProblems({ problems, channel }: { problems: DeliveryProblem[]; channel: string }) {
  if (problems.length === 0) return null;
  const failed = problems.filter((p) => p.state === 'failed');
  const retrying = problems.filter((p) => p.state === 'pending');
  const via = problems[0]?.channel ?? channel;
  const platform = via === 'email' ? 'the customer by email' : (PLATFORM[via] ?? via);
  return (
    <div class="notice delivery" role="alert" data-testid="delivery-problems">
      {failed.length > 0 && (
        <p>
          {failed.length === 1 ? '1 message' : `${failed.length} messages`} could not be delivered to {platform}: <code>{failed[0]!.reason ?? 'unknown error'}</code>. The customer has not
          seen {failed.length === 1 ? 'it' : 'them'}.
        </p>
      )}
      {retrying.length > 0 && (
        <p>
          Delivery to {platform} is being retried ({retrying[0]!.attempts} {retrying[0]!.attempts === 1 ? 'attempt' : 'attempts'} so far: <code>{retrying[0]!.reason ?? 'error'}</code>).
        </p>
      )}
    </div>
  );
}
