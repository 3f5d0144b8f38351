/**
 * The console's live feed: Server-Sent Events from /api/console/events (cookie auth).
 * Events carry ids only; the views refetch what changed. EventSource reconnects by itself on
 * network errors; when the server refuses the stream (e.g. 401) it closes for good, so we retry
 * with a slower timer. Every (re)connection calls `onOpen`, so views can catch up on what they missed.
 */

export type ConsoleEvent =
  | { type: 'ticket'; ticketId: string; conversationId: string }
  | { type: 'message'; conversationId: string; seq: number }
  | { type: 'presence' }
  | { type: 'typing'; conversationId: string; author: string; name?: string }
  | { type: 'conversation'; conversationId: string };

export type Listener = (event: ConsoleEvent) => void;
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

const TYPES = ['ticket', 'message', 'presence', 'typing', 'conversation'] as const;
const RETRY_CLOSED_MS = 5000;

/** Parse one SSE data payload into a typed event; undefined for anything malformed. */
export function parseEvent(type: string, data: string): ConsoleEvent | undefined {
  if (!(TYPES as readonly string[]).includes(type)) return undefined;
  let body: unknown = {};
  if (data) {
    try {
      body = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const str = (k: string) => typeof b[k] === 'string';
  switch (type) {
    case 'ticket':
      return str('ticketId') ? { type, ticketId: b.ticketId as string, conversationId: String(b.conversationId ?? '') } : undefined;
    case 'message':
      return str('conversationId') ? { type, conversationId: b.conversationId as string, seq: Number(b.seq ?? 0) } : undefined;
    case 'typing':
      return str('conversationId')
        ? { type, conversationId: b.conversationId as string, author: String(b.author ?? ''), ...(str('name') ? { name: b.name as string } : {}) }
        : undefined;
    case 'conversation':
      return str('conversationId') ? { type, conversationId: b.conversationId as string } : undefined;
    default:
      return { type: 'presence' };
  }
}

export class ConsoleEvents {
  private source: EventSource | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<(s: ConnectionState, reopened: boolean) => void>();
  private opened = false;
  private closed = false;
  state: ConnectionState = 'connecting';

  constructor(private readonly url = '/api/console/events') {}

  start(): void {
    if (this.source || this.closed) return;
    const es = new EventSource(this.url, { withCredentials: true });
    this.source = es;
    es.onopen = () => {
      const reopened = this.opened;
      this.opened = true;
      this.setState('live', reopened);
    };
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) {
        this.source = null;
        this.setState('reconnecting', false);
        if (!this.closed) this.retry = setTimeout(() => this.start(), RETRY_CLOSED_MS);
      } else {
        this.setState('reconnecting', false);
      }
    };
    for (const type of TYPES) {
      es.addEventListener(type, (e) => {
        const event = parseEvent(type, (e as MessageEvent<string>).data);
        if (event) for (const l of this.listeners) l(event);
      });
    }
  }

  stop(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.source?.close();
    this.source = null;
    this.listeners.clear();
    this.stateListeners.clear();
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `reopened` is true when the stream came back after a drop: refetch to catch up. */
  onState(listener: (s: ConnectionState, reopened: boolean) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: ConnectionState, reopened: boolean): void {
    if (state === this.state && !reopened) return;
    this.state = state;
    for (const l of this.stateListeners) l(state, reopened);
  }
}
