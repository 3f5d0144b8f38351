import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { ConsoleEvents } from '../events';
import { useConsoleEvents } from '../hooks';
import { beep, newTicketIds, titleWithBadge } from '../notify';
import { QUEUE_PATH, ticketFromSearch } from '../routes';
import { type AgentInfo, type CannedResponse, CHANNEL_LABEL, CHANNELS, PRIORITY_LIST, type QueueTicket, type TicketQuery } from '../types';
import { type QueueSort, SORT_LABEL, sortQueue } from '../queue-sort';
import { press, type ShortcutAction, useShortcuts } from '../shortcuts';
import { ShortcutsHelp } from './ShortcutsHelp';
import { QueueList } from './QueueList';
import { TicketView } from './TicketView';

interface Props {
  me: AgentInfo;
  agents: AgentInfo[];
  canned: CannedResponse[];
  events: ConsoleEvents;
  onNotice(text: string): void;
}

const DEFAULT_QUERY: TicketQuery = { status: 'open,assigned', channel: '', assignee: '', priority: '' };
const FILTERS_KEY = 'answerdesk:queue-filters';
export const LAST_TICKET_KEY = 'answerdesk:last-ticket-search';
const SORT_KEY = 'answerdesk:queue-sort';
const SEARCH_DEBOUNCE_MS = 200;

function savedSort(): QueueSort {
  try {
    const s = sessionStorage.getItem(SORT_KEY);
    if (s && s in SORT_LABEL) return s as QueueSort;
  } catch {
    // Ignore unreadable storage.
  }
  return 'sla';
}

function savedQuery(): TicketQuery {
  try {
    const raw = sessionStorage.getItem(FILTERS_KEY);
    if (raw) return { ...DEFAULT_QUERY, ...(JSON.parse(raw) as Partial<TicketQuery>) };
  } catch {
    // Ignore unreadable storage.
  }
  return DEFAULT_QUERY;
}

/** The queue page: ticket list with filters on the left, the open ticket on the right. */
export function QueuePage({ me, agents, canned, events, onNotice }: Props) {
  const [query, setQuery] = useState<TicketQuery>(savedQuery);
  const [tickets, setTickets] = useState<QueueTicket[] | null>(null);
  const [error, setError] = useState('');
  const [selected, setSelected] = useState<string | null>(() => ticketFromSearch(location.search));
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const known = useRef<Set<string> | null>(null);
  const request = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const queryKey = JSON.stringify(query);
  const [sort, setSort] = useState<QueueSort>(savedSort);
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<QueueTicket[] | null>(null);
  const [help, setHelp] = useState(false);
  const searchBox = useRef<HTMLInputElement>(null);

  // Search runs on the server (subjects, every message, customers' names and emails).
  useEffect(() => {
    const q = search.trim();
    if (!q) return setFound(null);
    let live = true;
    const t = setTimeout(() => {
      api.searchTickets(q).then(
        (r) => live && setFound(r.tickets),
        () => live && setFound([]),
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [search]);

  const load = useCallback(
    async (notify: boolean) => {
      const id = ++request.current;
      try {
        const { tickets: list } = await api.tickets(query);
        if (id !== request.current) return;
        setError('');
        setTickets(list);
        const added = known.current && notify ? newTicketIds(known.current, list) : [];
        known.current = new Set(list.map((t) => t.id));
        const unseen = added.filter((tid) => {
          const t = list.find((x) => x.id === tid);
          return t && t.status !== 'resolved' && tid !== selected;
        });
        if (unseen.length > 0) {
          setFresh((prev) => new Set([...prev, ...unseen]));
          beep();
          const first = list.find((t) => t.id === unseen[0]);
          onNotice(unseen.length === 1 && first ? `New ticket: ${first.subject}` : `${unseen.length} new tickets in the queue`);
        }
      } catch (err) {
        if (id !== request.current) return;
        if (err instanceof ApiError && err.status === 401) return;
        setError(err instanceof Error ? err.message : 'The queue could not be loaded.');
      }
    },
    [queryKey, selected, onNotice],
  );

  // New filters: a fresh list, nothing in it counts as "new".
  useEffect(() => {
    known.current = null;
    setTickets(null);
    void load(false);
    try {
      sessionStorage.setItem(FILTERS_KEY, queryKey);
    } catch {
      // Private mode: filters just do not persist.
    }
  }, [queryKey]);

  const loadSoon = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(true), 120);
  }, [load]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  useConsoleEvents(
    events,
    (e) => {
      if (e.type === 'ticket') loadSoon();
    },
    loadSoon,
  );

  // "(2) answerdesk" while new tickets wait to be opened.
  useEffect(() => {
    document.title = titleWithBadge(fresh.size);
  }, [fresh]);
  useEffect(() => () => void (document.title = titleWithBadge(0)), []);

  useEffect(() => {
    const onPop = () => setSelected(ticketFromSearch(location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const open = (id: string) => {
    setSelected(id);
    if (fresh.has(id)) {
      const next = new Set(fresh);
      next.delete(id);
      setFresh(next);
    }
    const search = `?ticket=${encodeURIComponent(id)}`;
    try {
      sessionStorage.setItem(LAST_TICKET_KEY, search);
    } catch {
      // ignore
    }
    if (location.search !== search) history.pushState(null, '', QUEUE_PATH + search);
  };

  const set = (patch: Partial<TicketQuery>) => setQuery((q) => ({ ...q, ...patch }));
  const shown = found ?? sortQueue(tickets ?? [], sort);

  const onShortcut = useCallback(
    (action: ShortcutAction) => {
      const ids = shown.map((t) => t.id);
      const at = selected ? ids.indexOf(selected) : -1;
      if (action === 'next' || action === 'previous') {
        const next = ids[action === 'next' ? Math.min(at + 1, ids.length - 1) : Math.max(at - 1, 0)];
        if (next) open(next);
      } else if (action === 'search') searchBox.current?.focus();
      else if (action === 'help') setHelp(true);
      else if (action === 'reply') {
        press('mode-reply');
        press('reply-input');
      } else if (action === 'note') {
        press('mode-note');
        press('reply-input');
      } else if (action === 'claim') press('claim');
      else if (action === 'resolve') press('resolve');
      else if (action === 'article') press('article-toggle');
    },
    [shown, selected],
  );
  useShortcuts(onShortcut);

  return (
    <div class={`queue-page${selected ? ' has-ticket' : ''}`}>
      <section class="queue" aria-labelledby="queue-heading">
        <div class="queue-head">
          <h1 id="queue-heading">
            Queue {tickets && <span class="count">({tickets.length})</span>}
          </h1>
          <span class="row">
            <button type="button" class="ghost small" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" data-testid="shortcuts-toggle">
              ?
            </button>
            <button type="button" class="ghost small" onClick={() => void load(false)} aria-label="Refresh the queue">
              Refresh
            </button>
          </span>
        </div>
        <form class="queue-search" role="search" onSubmit={(e) => e.preventDefault()}>
          <label for="queue-search" class="sr-only">
            Search tickets, messages and customers
          </label>
          <input
            id="queue-search"
            ref={searchBox}
            type="search"
            placeholder="Search tickets and customers (/)"
            value={search}
            data-testid="queue-search"
            onInput={(e) => setSearch(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setSearch('');
                e.currentTarget.blur();
              }
            }}
          />
        </form>
        <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Queue filters">
          <label>
            <span>Status</span>
            <select value={query.status} onChange={(e) => set({ status: e.currentTarget.value })} data-testid="filter-status">
              <option value="open,assigned">Open &amp; assigned</option>
              <option value="open">Open</option>
              <option value="assigned">Assigned</option>
              <option value="resolved">Resolved</option>
              <option value="">All</option>
            </select>
          </label>
          <label>
            <span>Assignee</span>
            <select value={query.assignee} onChange={(e) => set({ assignee: e.currentTarget.value })} data-testid="filter-assignee">
              <option value="">Anyone</option>
              <option value="me">Mine</option>
              <option value="none">Unassigned</option>
            </select>
          </label>
          <label>
            <span>Channel</span>
            <select value={query.channel} onChange={(e) => set({ channel: e.currentTarget.value })} data-testid="filter-channel">
              <option value="">All channels</option>
              {CHANNELS.map((c) => (
                <option value={c} key={c}>
                  {CHANNEL_LABEL[c]}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>Priority</span>
            <select value={query.priority} onChange={(e) => set({ priority: e.currentTarget.value })} data-testid="filter-priority">
              <option value="">Any priority</option>
              {PRIORITY_LIST.map((p) => (
                <option value={p} key={p}>
                  {p[0]!.toUpperCase() + p.slice(1)}
                </option>
              ))}
            </select>
          </label>
          <label class="span2">
            <span>Sort</span>
            <select
              value={sort}
              data-testid="queue-sort"
              onChange={(e) => {
                const next = e.currentTarget.value as QueueSort;
                setSort(next);
                try {
                  sessionStorage.setItem(SORT_KEY, next);
                } catch {
                  // ignore
                }
              }}
            >
              {(Object.keys(SORT_LABEL) as QueueSort[]).map((s) => (
                <option value={s} key={s}>
                  {SORT_LABEL[s]}
                </option>
              ))}
            </select>
          </label>
        </form>
        {error && (
          <p class="error" role="alert">
            {error}{' '}
            <button type="button" class="link" onClick={() => void load(false)}>
              Retry
            </button>
          </p>
        )}
        {found !== null ? (
          found.length === 0 ? (
            <p class="muted pad" data-testid="search-empty">
              No tickets match “{search.trim()}”.
            </p>
          ) : (
            <>
              <p class="muted small pad-x" role="status">
                {found.length === 1 ? '1 ticket matches' : `${found.length} tickets match`} “{search.trim()}” (any status)
              </p>
              <QueueList tickets={found} selected={selected} fresh={fresh} meId={me.id} onOpen={open} />
            </>
          )
        ) : tickets === null && !error ? (
          <p class="muted pad">Loading tickets…</p>
        ) : tickets && tickets.length === 0 ? (
          <p class="muted pad" data-testid="queue-empty">
            No tickets match these filters.
          </p>
        ) : (
          <QueueList tickets={shown} selected={selected} fresh={fresh} meId={me.id} onOpen={open} />
        )}
      </section>
      <div class="ticket-pane">
        {selected ? (
          <TicketView
            key={selected}
            ticketId={selected}
            me={me}
            agents={agents}
            canned={canned}
            events={events}
            onChanged={() => void load(false)}
            onBack={() => {
              setSelected(null);
              history.pushState(null, '', QUEUE_PATH);
            }}
          />
        ) : (
          <div class="empty-state">
            <h2>No ticket open</h2>
            <p class="muted">Pick a ticket from the queue to see the conversation, what the bot tried, and the customer.</p>
          </div>
        )}
      </div>
      {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
    </div>
  );
}
