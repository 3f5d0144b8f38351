import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RealtimeBus } from '../realtime/bus';
import type { OutboxItem, Store } from '../store/types';
import { type BackoffPolicy, DEFAULT_BACKOFF, nextAttemptDelay } from './backoff';
import { DeliveryError } from './delivery-error';

const PRUNE_EVERY_MS = 60 * 60_000;
const KEEP_SENT_MS = 7 * 24 * 60 * 60_000;

/** Sends one outbox row through its platform; throws DeliveryError (or anything: retried) on failure. */
export interface Deliverer {
  deliver(item: OutboxItem): Promise<void>;
  /** Its own retry schedule (webhooks retry for a day); the worker's otherwise. */
  backoff?: BackoffPolicy;
}

export interface WorkerOptions {
  store: Store;
  bus: RealtimeBus;
  log: Logger;
  /** How long a claimed row is ours; a killed instance's rows are anyone's after this. */
  leaseMs: number;
  /** How often the table is polled for due rows (a local nudge starts a round at once). */
  pollMs: number;
  batch?: number;
  backoff?: BackoffPolicy;
}

/**
 * The delivery worker: claims due outbox rows with a lease, hands each to its channel's
 * deliverer, and records the outcome. Runs on every instance; leases keep two instances from
 * sending one row at once, and rows of one conversation are delivered in order. At-least-once:
 * an instance killed between a platform's "ok" and marking the row sent sends it again later.
 */
export class DeliveryWorker {
  readonly owner = `worker:${randomUUID()}`;
  private readonly deliverers = new Map<string, Deliverer>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private lastPrune = 0;
  /** Deliveries under way: a slow platform holds its own rows, never the others'. */
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly options: WorkerOptions) {}

  /** `channel` is a channel name, or `prefix:*` for every channel `prefix:…` (e.g. `webhook:*`). */
  register(channel: string, deliverer: Deliverer): void {
    this.deliverers.set(channel, deliverer);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Something was just written: look now instead of at the next poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await Promise.allSettled([...this.inflight]);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), ms);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = this.drain().catch((err: unknown) => this.options.log.error({ err }, 'outbox round failed'));
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    const again = this.again;
    this.again = false;
    this.schedule(again ? 0 : this.options.pollMs);
  }

  /**
   * Claims and starts deliveries until nothing is due or `batch` are under way. Conversations
   * are delivered side by side, each in order (the claim hands out only a conversation's
   * oldest row); a finished delivery looks again, so the next row of its conversation follows.
   */
  private async drain(): Promise<void> {
    const { store, leaseMs, batch = 50 } = this.options;
    if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
      // Delivered rows are kept a week for troubleshooting, then dropped (any instance may do it).
      this.lastPrune = Date.now();
      await store.outbox.prune(new Date(Date.now() - KEEP_SENT_MS));
    }
    while (!this.stopped) {
      const room = batch - this.inflight.size;
      if (room <= 0) return;
      const items = await store.outbox.claim(this.owner, leaseMs, room);
      if (items.length === 0) return;
      for (const item of items) {
        const delivery: Promise<void> = this.deliverOne(item)
          .catch((err: unknown) => this.options.log.error({ err, outboxId: item.id }, 'outbox bookkeeping failed'))
          .finally(() => {
            this.inflight.delete(delivery);
            this.nudge();
          });
        this.inflight.add(delivery);
      }
    }
  }

  private async deliverOne(item: OutboxItem): Promise<void> {
    const { store, log, bus } = this.options;
    const colon = item.channel.indexOf(':');
    const deliverer = this.deliverers.get(item.channel) ?? (colon > 0 ? this.deliverers.get(`${item.channel.slice(0, colon)}:*`) : undefined);
    if (!deliverer) {
      // Another instance may have the channel configured; ours leaves the row for it.
      await store.outbox.retry(item.id, this.owner, new Date(Date.now() + this.options.leaseMs), `no ${item.channel} deliverer on this instance`);
      return;
    }
    // A delivery that outlasts a third of its lease renews it: a slow platform or relay must not
    // hand the row to another worker while this one is still sending it (that would send it twice).
    // A killed instance stops renewing, so its rows still become anyone's after the lease.
    const { leaseMs } = this.options;
    const renewal = setInterval(() => {
      void store.outbox.renew(item.id, this.owner, new Date(Date.now() + leaseMs)).catch((err: unknown) => log.warn({ err, outboxId: item.id }, 'lease renewal failed'));
    }, Math.max(50, Math.floor(leaseMs / 3)));
    renewal.unref();
    try {
      try {
        await deliverer.deliver(item);
      } finally {
        clearInterval(renewal);
      }
      await store.outbox.markSent(item.id, this.owner);
    } catch (err) {
      const failure = err instanceof DeliveryError ? err : new DeliveryError(err instanceof Error ? err.message : String(err), true, undefined, { cause: err });
      const policy = deliverer.backoff ?? this.options.backoff ?? DEFAULT_BACKOFF;
      if (failure.retryable && item.attempts < policy.maxAttempts) {
        const delay = nextAttemptDelay(policy, item.attempts, failure.retryAfterMs);
        log.warn({ outboxId: item.id, channel: item.channel, attempts: item.attempts, retryInMs: Math.round(delay), reason: failure.reason }, 'delivery failed; will retry');
        await store.outbox.retry(item.id, this.owner, new Date(Date.now() + delay), failure.reason);
      } else {
        log.error({ outboxId: item.id, channel: item.channel, attempts: item.attempts, reason: failure.reason }, 'delivery failed for good');
        await store.outbox.fail(item.id, this.owner, failure.reason);
        if (item.conversationId) await this.recordFailure(item, failure.reason);
      }
      if (item.conversationId) {
        const ticket = await store.tickets.byConversation(item.conversationId);
        if (ticket) bus.publish({ type: 'ticket', ticketId: ticket.id, conversationId: item.conversationId });
      }
    }
  }

  private async recordFailure(item: OutboxItem, reason: string): Promise<void> {
    const ticket = await this.options.store.tickets.byConversation(item.conversationId!);
    await this.options.store.events.log({
      type: 'delivery_failed',
      conversationId: item.conversationId,
      ticketId: ticket?.id ?? null,
      channel: item.channel,
      data: { outboxId: item.id, messageId: item.messageId, reason },
    });
  }
}
