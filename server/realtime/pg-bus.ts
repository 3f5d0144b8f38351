import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from 'pino';
import type { BusEvent, Reach, RealtimeBus } from './bus';

/**
 * The realtime bus between instances: PostgreSQL LISTEN/NOTIFY on one channel.
 *
 * - Payloads carry ids only (BusEvent), batched: `{"i": instanceId, "e": [event, …]}`, each
 *   NOTIFY below PostgreSQL's 8000-byte limit. Events published in the same tick go out in
 *   one round trip (`pg_notify` over an array), in publish order.
 * - Delivery to this instance's own subscribers is local and synchronous (as LocalBus), so
 *   it works even while PostgreSQL is briefly unreachable; the echo of our own NOTIFY is
 *   recognised by the instance id and ignored. Every subscriber sees each event once.
 * - One dedicated connection LISTENs. When it fails (error, end, or a health check that
 *   does not come back) it reconnects with backoff and re-LISTENs, then emits a local
 *   `resync` event: notifications sent while it was away are lost, so receivers re-read
 *   storage (widget sockets flush every client). Nothing is lost for good — the data is in
 *   the database; a notification only says "look again".
 * - Publishing uses a separate one-connection pool; a failed batch is retried with backoff
 *   and, if the backlog grows past a bound, replaced by a single `resync` for everyone.
 */
export interface PgBusOptions {
  connectionString: string;
  /** NOTIFY channel; instances that should talk to each other use the same one. */
  channel?: string;
  log?: Logger;
  /** Health check of the LISTEN connection (ms). */
  healthCheckMs?: number;
}

/** PostgreSQL rejects NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_900;
const MAX_BACKLOG = 10_000;
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;

export const DEFAULT_CHANNEL = 'answerdesk_events';

/** One channel per database schema, so separate deployments sharing a database stay apart. */
export function channelFor(schema: string | undefined): string {
  return schema ? `${DEFAULT_CHANNEL}_${schema}` : DEFAULT_CHANNEL;
}

interface Envelope {
  i: string;
  e: BusEvent[];
}

export class PgBus implements RealtimeBus {
  readonly instanceId = randomUUID();
  /** How every envelope this instance sends begins. */
  private readonly echoPrefix = `{"i":${JSON.stringify(this.instanceId)},"e":[`;
  readonly channel: string;
  private readonly emitter = new EventEmitter();
  private readonly publisher: pg.Pool;
  private listener: pg.Client | undefined;
  private pending: BusEvent[] = [];
  private flushing: Promise<void> | undefined;
  private flushScheduled = false;
  private publishFailures = 0;
  private listenFailures = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private connectedOnce = false;
  /** For tests and /readyz-like checks: is the LISTEN connection up? */
  listening = false;

  private constructor(private readonly options: PgBusOptions) {
    this.channel = options.channel ?? DEFAULT_CHANNEL;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.channel)) throw new Error(`invalid NOTIFY channel name "${this.channel}"`);
    this.emitter.setMaxListeners(0);
    // A NOTIFY carries no data (the rows are in the database already) and is not kept across a
    // crash anyway, so its commit need not wait for a WAL flush.
    this.publisher = new pg.Pool({ connectionString: options.connectionString, max: 1, keepAlive: true, options: '-c synchronous_commit=off' });
    // An idle pooled connection that dies emits here; the pool replaces it on next use.
    this.publisher.on('error', (err) => this.options.log?.warn({ err: err.message }, 'bus publisher connection lost'));
  }

  /** Connects and LISTENs before resolving, so nothing published after start is missed. */
  static async start(options: PgBusOptions): Promise<PgBus> {
    const bus = new PgBus(options);
    try {
      await bus.listen();
    } catch (err) {
      await bus.close();
      throw err;
    }
    return bus;
  }

  publish(event: BusEvent, reach: Reach = 'everywhere'): void {
    if (this.closed) return;
    if (reach !== 'remote') this.emitter.emit('event', event);
    if (event.type === 'resync' || reach === 'local') return; // local meaning only
    // Rows stay here: other instances read them from storage (NOTIFY carries ids only).
    this.pending.push(event.type === 'message' && event.messages ? { type: 'message', conversationId: event.conversationId, seq: event.seq } : event);
    if (this.pending.length > MAX_BACKLOG) {
      // PostgreSQL has been unreachable for a while: tell everyone to re-read instead.
      this.options.log?.warn({ dropped: this.pending.length }, 'bus backlog too long; sending a resync instead');
      this.pending = [{ type: 'resync' }];
    }
    this.scheduleFlush(0);
  }

  subscribe(listener: (event: BusEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Send what is queued (bounded: a broken database must not hold up shutdown).
    if (this.pending.length || this.flushing) {
      this.scheduleFlush(0);
      await Promise.race([this.drain(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    }
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.healthTimer);
    this.emitter.removeAllListeners();
    const listener = this.listener;
    this.listener = undefined;
    this.listening = false;
    await Promise.allSettled([listener?.end(), this.publisher.end()]);
  }

  /** One more attempt for what is queued (no retries: we are closing). */
  private async drain(): Promise<void> {
    if (this.flushing) await this.flushing;
    if (this.pending.length) await this.flushNow();
  }

  // --- publishing -----------------------------------------------------------------------

  private scheduleFlush(delayMs: number): void {
    if (this.flushScheduled || this.flushing) return;
    this.flushScheduled = true;
    const run = () => {
      this.flushScheduled = false;
      void this.flushNow();
    };
    if (delayMs > 0) setTimeout(run, delayMs).unref();
    else setImmediate(run);
  }

  private flushNow(): Promise<void> {
    if (this.flushing || !this.pending.length) return this.flushing ?? Promise.resolve();
    const batch = this.pending;
    this.pending = [];
    const send = async () => {
      try {
        const payloads = this.payloads(batch);
        // Named: the publisher connection plans it once, not once per batch.
        await this.publisher.query({ name: 'answerdesk_bus_notify', text: 'select pg_notify($1, p) from unnest($2::text[]) as p', values: [this.channel, payloads] });
        this.publishFailures = 0;
      } catch (err) {
        this.publishFailures++;
        this.options.log?.warn({ err: (err as Error).message, events: batch.length }, 'bus publish failed; retrying');
        this.pending = [...batch, ...this.pending].slice(-MAX_BACKLOG);
      }
    };
    this.flushing = send().finally(() => {
      this.flushing = undefined;
      if (this.pending.length && !this.closed) this.scheduleFlush(this.publishFailures ? backoff(this.publishFailures) : 0);
    });
    return this.flushing;
  }

  /** Envelopes of at most MAX_PAYLOAD_BYTES each. */
  private payloads(events: BusEvent[]): string[] {
    const head = this.echoPrefix;
    const out: string[] = [];
    let parts: string[] = [];
    let size = head.length + 2;
    for (const event of events) {
      const json = JSON.stringify(event);
      const bytes = Buffer.byteLength(json) + 1;
      if (head.length + 2 + bytes > MAX_PAYLOAD_BYTES) {
        // Ids only should never get here; if it does, everyone re-reads rather than misses it.
        this.options.log?.warn({ type: event.type }, 'bus event too large for NOTIFY; sending resync');
        parts.push('{"type":"resync"}');
        continue;
      }
      if (size + bytes > MAX_PAYLOAD_BYTES && parts.length) {
        out.push(head + parts.join(',') + ']}');
        parts = [];
        size = head.length + 2;
      }
      parts.push(json);
      size += bytes;
    }
    if (parts.length) out.push(head + parts.join(',') + ']}');
    return out;
  }

  // --- listening ------------------------------------------------------------------------

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.connectionString, keepAlive: true, connectionTimeoutMillis: 5_000 });
    let failed = false;
    const fail = (why: string) => {
      if (failed) return;
      failed = true;
      if (this.listener === client) {
        this.listener = undefined;
        this.listening = false;
      }
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (!this.closed) {
        this.options.log?.warn({ reason: why }, 'bus LISTEN connection lost; reconnecting');
        this.scheduleReconnect();
      }
    };
    client.on('error', (err) => fail(err.message));
    client.on('end', () => fail('connection ended'));
    client.on('notification', (msg) => {
      if (msg.channel !== this.channel || !msg.payload) return;
      this.onNotification(msg.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      fail((err as Error).message);
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    this.listening = true;
    this.listenFailures = 0;
    if (this.connectedOnce) {
      this.options.log?.info({ channel: this.channel }, 'bus LISTEN connection restored; resyncing');
      // We may have missed notifications while away: receivers re-read storage.
      this.emitter.emit('event', { type: 'resync' } satisfies BusEvent);
    }
    this.connectedOnce = true;
    this.startHealthCheck(client, fail);
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    clearInterval(this.healthTimer);
    this.listenFailures++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      // listen() schedules the next attempt itself when it fails.
      this.listen().catch(() => undefined);
    }, backoff(this.listenFailures));
    this.reconnectTimer.unref();
  }

  /** A silently dead TCP connection never emits 'error': ask it something now and then. */
  private startHealthCheck(client: pg.Client, fail: (why: string) => void): void {
    clearInterval(this.healthTimer);
    const every = this.options.healthCheckMs ?? 15_000;
    this.healthTimer = setInterval(() => {
      const timeout = setTimeout(() => fail('health check timed out'), Math.min(every, 10_000));
      client
        .query('select 1')
        .then(() => clearTimeout(timeout))
        .catch((err: Error) => {
          clearTimeout(timeout);
          fail(err.message);
        });
    }, every);
    this.healthTimer.unref();
  }

  private onNotification(payload: string): void {
    // Our own echo (every NOTIFY comes back to its sender): recognised without parsing it.
    if (payload.startsWith(this.echoPrefix)) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch {
      this.options.log?.warn('bus notification is not JSON; ignored');
      return;
    }
    if (envelope.i === this.instanceId || !Array.isArray(envelope.e)) return; // our own echo: delivered locally already
    for (const event of envelope.e) {
      if (!event || typeof event !== 'object' || typeof event.type !== 'string') continue;
      try {
        this.emitter.emit('event', event);
      } catch (err) {
        this.options.log?.error({ err }, 'bus subscriber failed');
      }
    }
  }
}

function backoff(failures: number): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(failures - 1, 10));
  return Math.round(base / 2 + Math.random() * (base / 2));
}
