/**
 * The chat controller: visitor session, WebSocket resume (hello/lastSeq → replay → ready),
 * optimistic sends re-sent with the same clientId until acked, REST fallback while the socket
 * can't connect. Plain TypeScript (no preact); the UI subscribes to `state`.
 */
import type { Action } from '../../../bot/types';
import type {
  Availability,
  ConversationView,
  HistoryResponse,
  ServerFrame,
  SessionRequest,
  SessionResponse,
  SuggestResponse,
} from '../../../server/channels/web/protocol';
import type { Identity } from '../shared';
import { Connection, type SocketLike, type Timers } from './connection';
import type { WidgetStorage } from './storage';
import * as T from './transcript';
import { ATTACHMENT_MAX_BYTES } from '../../../server/domain/attachments';

/**
 * The server limits messages in UTF-8 bytes (MESSAGE_MAX_BYTES); its `ready` frame says how
 * many. Until then the server's default applies.
 */
export const DEFAULT_MESSAGE_MAX_BYTES = 4096;
/** After this many failed connects in a row, poll the REST history endpoint meanwhile. */
export const FALLBACK_AFTER_FAILURES = 3;
export const FALLBACK_POLL_MS = 5000;
const TYPING_SHOWN_MS = 8000;
const TYPING_SEND_EVERY_MS = 3000;

export type LinkStatus = 'connecting' | 'online' | 'reconnecting' | 'fallback';

export interface ChatState {
  transcript: T.Transcript;
  conversation: ConversationView | null;
  availability: Availability | null;
  link: LinkStatus;
  typing: { author: 'bot' | 'agent'; name?: string } | null;
  /** An error not tied to one of the visitor's messages, shown inline above the composer. */
  error: { code: string; message: string } | null;
  open: boolean;
  /** The server's message limit in UTF-8 bytes. */
  maxMessageBytes: number;
  /** The name of the file being uploaded, if any. */
  uploading: string | null;
}

export interface ChatDeps {
  origin: string;
  key: string;
  identity: Identity;
  pageUrl: string;
  storage: WidgetStorage;
  fetch: typeof fetch;
  createSocket(url: string): SocketLike;
  uuid(): string;
  timers?: Timers;
  random?: () => number;
  now?: () => number;
}

export const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

export const wsUrl = (origin: string, token: string): string =>
  `${origin.replace(/^http/, 'ws')}/api/widget/ws?token=${encodeURIComponent(token)}`;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Drop identity fields the server would reject (it refuses the whole session otherwise). */
export function cleanIdentity(identity: Identity): Pick<SessionRequest, 'name' | 'email' | 'attributes'> {
  const out: Pick<SessionRequest, 'name' | 'email' | 'attributes'> = {};
  if (typeof identity.name === 'string' && identity.name.trim()) out.name = identity.name.trim().slice(0, 100);
  if (typeof identity.email === 'string' && EMAIL.test(identity.email.trim()) && identity.email.length <= 254) out.email = identity.email.trim();
  if (identity.attributes && typeof identity.attributes === 'object') {
    const attrs: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(identity.attributes).slice(0, 20)) {
      if (k.length > 40) continue;
      if (typeof v === 'string') attrs[k] = v.slice(0, 200);
      else if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) attrs[k] = v;
    }
    if (Object.keys(attrs).length) out.attributes = attrs;
  }
  return out;
}

export class Chat {
  state: ChatState;
  private readonly listeners = new Set<(s: ChatState) => void>();
  private readonly conn: Connection;
  private customerId: string | undefined;
  private token: string | undefined;
  private identity: Identity;
  private pageUrl: string;
  private ready = false;
  /** A session was created in this page load (the stored token alone may be stale). */
  private sessionOk = false;
  private session: Promise<string> | null = null;
  private pollTimer: unknown = null;
  private typingTimer: unknown = null;
  private lastTypingSent = 0;
  private readonly timers: Timers;
  private readonly now: () => number;

  constructor(private readonly deps: ChatDeps) {
    const saved = deps.storage.load();
    this.customerId = saved.customerId;
    this.token = deps.storage.token;
    this.identity = deps.identity;
    this.pageUrl = deps.pageUrl;
    this.now = deps.now ?? Date.now;
    this.timers = deps.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (id) => clearInterval(id as ReturnType<typeof setInterval>),
    };
    this.state = { transcript: saved.transcript, conversation: null, availability: null, link: 'connecting', typing: null, error: null, open: false, maxMessageBytes: DEFAULT_MESSAGE_MAX_BYTES, uploading: null };
    this.conn = new Connection({
      url: ({ failures }) => this.socketUrl(failures),
      createSocket: deps.createSocket,
      onOpen: () => {
        const t = this.state.transcript;
        const pin = this.deps.storage.pin;
        this.conn.send({ type: 'hello', ...(t.conversationId ? { conversationId: t.conversationId } : {}), lastSeq: t.lastSeq, ...(pin ? { pin } : {}) });
      },
      onFrame: (f) => this.onFrame(f),
      onStatus: (status, failures) => {
        if (status !== 'open') this.ready = false;
        if (status === 'waiting' || status === 'connecting') {
          const fallback = failures >= FALLBACK_AFTER_FAILURES;
          if (fallback) this.startPolling();
          this.set({ link: fallback ? 'fallback' : this.state.link === 'connecting' ? 'connecting' : 'reconnecting' });
        }
      },
      ...(deps.timers ? { timers: deps.timers } : {}),
      ...(deps.random ? { random: deps.random } : {}),
    });
  }

  subscribe(fn: (s: ChatState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    this.conn.start();
  }

  stop(): void {
    this.conn.stop();
    this.stopPolling();
    if (this.typingTimer !== null) this.timers.clearTimeout(this.typingTimer);
  }

  setOpen(open: boolean): void {
    this.set({ open });
    if (open) this.update(T.markRead(this.state.transcript));
  }

  /** Queue a text message; false when it is empty or over the limit (the composer says why). */
  sendText(text: string): boolean {
    const clean = text.trim();
    if (!clean || utf8Length(clean) > this.state.maxMessageBytes) return false;
    this.push({ type: 'message', clientId: this.deps.uuid(), text: clean });
    return true;
  }

  sendAction(action: Action, label: string): void {
    this.push({ type: 'action', clientId: this.deps.uuid(), action, label: label.slice(0, 200) });
  }

  retry(clientId: string): void {
    this.update(T.retry(this.state.transcript, clientId));
    const item = this.state.transcript.outbox.find((o) => o.frame.clientId === clientId);
    if (item && this.ready) this.conn.send(item.frame);
  }

  discard(clientId: string): void {
    this.update(T.discard(this.state.transcript, clientId));
  }

  /**
   * Send a file (image or PDF up to 10 MB) into the current conversation. The server checks its
   * content; its answer, or its reason for refusing, shows like any other message or error.
   */
  async upload(file: { name: string; size: number; type: string; arrayBuffer(): Promise<ArrayBuffer> }, tooBig: string): Promise<void> {
    if (file.size > ATTACHMENT_MAX_BYTES) return this.set({ error: { code: 'file_too_large', message: tooBig } });
    if (!this.token || !this.state.transcript.conversationId) return;
    this.set({ uploading: file.name, error: null });
    try {
      const res = await this.deps.fetch(`${this.deps.origin}/api/widget/attachments?name=${encodeURIComponent(file.name.slice(0, 200))}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/octet-stream' },
        body: await file.arrayBuffer(),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
        this.set({ error: { code: body?.error?.code ?? 'upload_failed', message: body?.error?.message ?? '' } });
      }
    } catch {
      this.set({ error: { code: 'upload_failed', message: '' } });
    } finally {
      this.set({ uploading: null });
    }
  }

  dismissError(): void {
    this.set({ error: null });
  }

  /** The visitor is typing: tell the agent, at most every 3 s. */
  typing(): void {
    if (!this.ready || !this.state.transcript.conversationId) return;
    const now = this.now();
    if (now - this.lastTypingSent < TYPING_SEND_EVERY_MS) return;
    this.lastTypingSent = now;
    this.conn.send({ type: 'typing' });
  }

  identify(identity: Identity): void {
    this.identity = { ...this.identity, ...identity, attributes: { ...this.identity.attributes, ...identity.attributes } };
    if (this.sessionOk) void this.createSession().catch(() => undefined);
  }

  page(url: string): void {
    this.pageUrl = url;
    if (this.sessionOk) void this.createSession().catch(() => undefined);
  }

  async suggest(q: string, signal?: AbortSignal): Promise<SuggestResponse['articles']> {
    const url = `${this.deps.origin}/api/widget/suggest?key=${encodeURIComponent(this.deps.key)}&q=${encodeURIComponent(q)}`;
    const res = await this.deps.fetch(url, signal ? { signal } : {});
    if (!res.ok) return [];
    const body = (await res.json()) as SuggestResponse;
    return Array.isArray(body.articles) ? body.articles : [];
  }

  /** Article URLs may be relative to the support server, which is not the embedding page. */
  resolveUrl(url: string): string {
    try {
      const u = new URL(url, this.deps.origin);
      return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : '#';
    } catch {
      return '#';
    }
  }

  // --- internals ------------------------------------------------------------------------

  private push(frame: T.OutgoingFrame): void {
    this.update(T.enqueue(this.state.transcript, frame));
    if (this.ready) this.conn.send(frame);
  }

  private async socketUrl(failures: number): Promise<string> {
    // Every page load starts with a session request carrying the stored token (the server keeps
    // the visitor and their conversation). A token the server no longer accepts fails the
    // upgrade (401) like a network error does, so after repeated failures ask again.
    const refresh = !this.sessionOk || !this.token || (failures > 0 && failures % 2 === 0);
    const token = refresh ? await this.createSession() : (this.token as string);
    return wsUrl(this.deps.origin, token);
  }

  private createSession(): Promise<string> {
    this.session ??= this.postSession().finally(() => (this.session = null));
    return this.session;
  }

  private async postSession(): Promise<string> {
    let pageUrl: string | undefined;
    try {
      pageUrl = new URL(this.pageUrl, this.deps.origin).href;
    } catch {
      pageUrl = undefined;
    }
    const body: SessionRequest = {
      key: this.deps.key,
      ...(this.token ? { token: this.token } : {}),
      ...cleanIdentity(this.identity),
      ...(pageUrl && pageUrl.length <= 2000 ? { pageUrl } : {}),
    };
    const res = await this.deps.fetch(`${this.deps.origin}/api/widget/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`session: HTTP ${res.status}`);
    const session = (await res.json()) as SessionResponse;
    if (this.customerId && session.customerId !== this.customerId) {
      // A different visitor (the old token was rejected): their conversation is not ours to show.
      this.update({ ...T.emptyTranscript(), outbox: this.state.transcript.outbox });
      this.set({ conversation: null });
    }
    this.customerId = session.customerId;
    this.token = session.token;
    this.deps.storage.token = session.token;
    this.sessionOk = true;
    this.save();
    this.set({ availability: session.availability });
    return session.token;
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'message': {
        const { transcript, accepted } = T.addMessage(this.state.transcript, frame.message, this.state.open);
        if (!accepted) return;
        const typing = this.state.typing && frame.message.author === this.state.typing.author ? null : this.state.typing;
        this.update(transcript, { typing });
        return;
      }
      case 'ready': {
        this.ready = true;
        this.stopPolling();
        // The server says which conversation this is (the latest, or one a link pinned): it wins over what we kept.
        const t = frame.conversation ? T.switchConversation(this.state.transcript, frame.conversation.id, { force: true }) : this.state.transcript;
        if (frame.conversation?.id !== this.deps.storage.pin) this.deps.storage.unpin();
        this.update(t, { conversation: frame.conversation, availability: frame.availability, link: 'online', ...(frame.limits ? { maxMessageBytes: frame.limits.messageMaxBytes } : {}) });
        for (const f of T.unacked(this.state.transcript)) this.conn.send(f);
        return;
      }
      case 'ack':
        this.update(T.ack(this.state.transcript, frame.clientId, frame.seq, frame.conversationId));
        return;
      case 'conversation':
        // The customer wrote on: a pinned older conversation gives way to the one their message went to.
        this.deps.storage.unpin();
        this.update(T.switchConversation(this.state.transcript, frame.conversation.id, { force: true }), { conversation: frame.conversation });
        return;
      case 'typing': {
        if (this.typingTimer !== null) this.timers.clearTimeout(this.typingTimer);
        this.typingTimer = this.timers.setTimeout(() => this.set({ typing: null }), TYPING_SHOWN_MS);
        this.set({ typing: { author: frame.author, ...(frame.name ? { name: frame.name } : {}) } });
        return;
      }
      case 'availability':
        this.set({ availability: frame.availability });
        return;
      case 'error': {
        if (frame.code === 'unknown_visitor') {
          this.token = undefined;
          this.sessionOk = false;
          this.deps.storage.token = undefined;
          this.conn.reconnect();
          return;
        }
        const mine = frame.clientId && this.state.transcript.outbox.some((o) => o.frame.clientId === frame.clientId);
        if (mine) this.update(T.fail(this.state.transcript, frame.clientId as string, frame.code, frame.message));
        else this.set({ error: { code: frame.code, message: frame.message } });
        return;
      }
      default:
        return;
    }
  }

  private startPolling(): void {
    if (this.pollTimer !== null) return;
    void this.poll();
    this.pollTimer = this.timers.setInterval(() => void this.poll(), FALLBACK_POLL_MS);
  }

  private stopPolling(): void {
    if (this.pollTimer !== null) this.timers.clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  /** REST fallback: fetch what we missed while the socket is down. */
  private async poll(): Promise<void> {
    if (!this.token) return;
    const get = async (after: number): Promise<HistoryResponse | null> => {
      const res = await this.deps.fetch(`${this.deps.origin}/api/widget/messages?after=${after}`, {
        headers: { Authorization: `Bearer ${this.token}` },
      });
      return res.ok ? ((await res.json()) as HistoryResponse) : null;
    };
    try {
      const t = this.state.transcript;
      let body = await get(t.lastSeq);
      // `after` counts in the server's latest conversation; if that isn't ours any more, start over.
      if (body?.conversation && body.conversation.id !== t.conversationId && t.lastSeq > 0) body = await get(0);
      if (!body || this.ready) return;
      let next = body.conversation ? T.switchConversation(this.state.transcript, body.conversation.id) : this.state.transcript;
      next = T.addMessages(next, body.messages, this.state.open);
      this.update(next, { conversation: body.conversation });
    } catch {
      // still offline
    }
  }

  private update(transcript: T.Transcript, patch: Partial<ChatState> = {}): void {
    if (this.state.open) transcript = T.markRead(transcript);
    const changed = transcript !== this.state.transcript;
    this.set({ ...patch, transcript });
    if (changed) this.save();
  }

  private save(): void {
    this.deps.storage.save(this.customerId, this.state.transcript);
  }

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn(this.state);
  }
}

/** crypto.randomUUID needs a secure context; embedding pages on plain http still get a random id. */
export function randomId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
