/**
 * The widget's WebSocket: connect, ping every 25 s, reconnect with backoff + jitter on close
 * or on a `reconnect` frame. Knows nothing about messages; chat.ts does the resume logic.
 * Timers, socket and randomness are injectable so tests can drive it deterministically.
 */
import type { ClientFrame, ServerFrame } from '../../../server/channels/web/protocol';

/** Base delays before reconnect attempt 1, 2, 3, 4+ (the last one repeats). */
export const BACKOFF_MS = [1000, 2000, 5000, 10_000] as const;
export const PING_MS = 25_000;

/** Delay before reconnect attempt `attempt` (0-based): the base delay minus up to 30 % jitter, never above 10 s. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = BACKOFF_MS[Math.min(Math.max(attempt, 0), BACKOFF_MS.length - 1)] ?? 10_000;
  return Math.round(base * (1 - 0.3 * random()));
}

/** The subset of the WebSocket interface we use (the browser's, or a fake in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type ConnectionStatus = 'connecting' | 'open' | 'waiting' | 'stopped';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
}

export interface ConnectionOptions {
  /** The URL to connect to; may refresh the session first (so it can be async). */
  url(attempt: { failures: number }): string | Promise<string>;
  createSocket(url: string): SocketLike;
  /** The socket is open: send `hello` here. */
  onOpen(): void;
  onFrame(frame: ServerFrame): void;
  /** failures = consecutive attempts that never reached `ready` (drives the REST fallback). */
  onStatus(status: ConnectionStatus, failures: number): void;
  timers?: Timers;
  random?: () => number;
}

const OPEN = 1;

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (id) => globalThis.clearTimeout(id as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms),
  clearInterval: (id) => globalThis.clearInterval(id as ReturnType<typeof setInterval>),
};

export class Connection {
  private socket: SocketLike | null = null;
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private attempt = 0;
  /** Consecutive connection attempts that didn't get to `ready`. */
  private failures = 0;
  private reachedReady = false;
  private stopped = true;
  /** Bumped on every connect/stop so late callbacks of an old socket are ignored. */
  private generation = 0;
  private readonly timers: Timers;
  private readonly random: () => number;

  constructor(private readonly opts: ConnectionOptions) {
    this.timers = opts.timers ?? realTimers;
    this.random = opts.random ?? Math.random;
  }

  get isOpen(): boolean {
    return this.socket !== null && this.socket.readyState === OPEN;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.dropSocket('bye');
    this.opts.onStatus('stopped', this.failures);
  }

  /** Send a frame if the socket is open; returns false otherwise (the caller keeps it queued). */
  send(frame: ClientFrame): boolean {
    if (!this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Drop the current socket and reconnect after the usual backoff (also used for a `reconnect` frame). */
  reconnect(): void {
    if (this.stopped) return;
    this.dropSocket();
    this.scheduleRetry();
  }

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    this.opts.onStatus('connecting', this.failures);
    let url: string;
    let socket: SocketLike;
    try {
      url = await this.opts.url({ failures: this.failures });
      if (gen !== this.generation || this.stopped) return;
      socket = this.opts.createSocket(url);
    } catch {
      if (gen !== this.generation || this.stopped) return;
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    this.reachedReady = false;
    socket.onopen = () => {
      if (gen !== this.generation) return;
      this.opts.onStatus('open', this.failures);
      this.pingTimer = this.timers.setInterval(() => this.send({ type: 'ping' }), PING_MS);
      this.opts.onOpen();
    };
    socket.onmessage = (ev) => {
      if (gen !== this.generation || typeof ev.data !== 'string') return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(ev.data) as ServerFrame;
      } catch {
        return;
      }
      if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
      if (frame.type === 'pong') return;
      if (frame.type === 'reconnect') return this.reconnect();
      if (frame.type === 'ready') {
        this.reachedReady = true;
        this.attempt = 0;
        this.failures = 0;
      }
      this.opts.onFrame(frame);
    };
    socket.onerror = () => {
      // Always followed by close.
    };
    socket.onclose = () => {
      if (gen !== this.generation) return;
      this.socket = null;
      this.scheduleRetry();
    };
  }

  /** Detach and close the current socket; its late events belong to an old generation. */
  private dropSocket(reason = 'reconnecting'): void {
    this.generation++;
    this.clearTimers();
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onopen = s.onclose = s.onmessage = s.onerror = null;
      try {
        s.close(1000, reason);
      } catch {
        // already closed
      }
    }
  }

  private scheduleRetry(): void {
    this.clearTimers();
    if (this.stopped) return;
    if (!this.reachedReady) this.failures++;
    this.reachedReady = false;
    const delay = backoffDelay(this.attempt++, this.random);
    this.opts.onStatus('waiting', this.failures);
    const gen = ++this.generation;
    this.retryTimer = this.timers.setTimeout(() => {
      if (gen === this.generation && !this.stopped) void this.connect();
    }, delay);
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    if (this.pingTimer !== null) this.timers.clearInterval(this.pingTimer);
    this.retryTimer = this.pingTimer = null;
  }
}
