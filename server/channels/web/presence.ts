import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { PresenceStore } from '../../store/email';

/** An instance's heartbeat: its sockets count as live until it lapses (a SIGKILLed instance stops counting after this). */
const HEARTBEAT_MS = 10_000;
const ALIVE_FOR_MS = 30_000;

/**
 * Which customers have a widget open, across instances: the console's "the customer is
 * offline" and email follow-ups depend on it. Only transitions are written (a customer's first
 * socket on this instance, their last one closing), in order per customer.
 */
export class WidgetPresence {
  readonly instance = `instance:${randomUUID()}`;
  private readonly counts = new Map<string, number>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timer: NodeJS.Timeout;
  readonly ready: Promise<void>;

  constructor(
    private readonly store: PresenceStore,
    private readonly log: Logger,
  ) {
    this.ready = this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    await this.store.heartbeat(this.instance, new Date(Date.now() + ALIVE_FOR_MS)).catch((err: unknown) => this.log.warn({ err }, 'presence heartbeat failed'));
  }

  private write(customerId: string, work: () => Promise<void>): void {
    const next = (this.chains.get(customerId) ?? Promise.resolve())
      .then(work)
      .catch((err: unknown) => this.log.warn({ err }, 'presence update failed'))
      .finally(() => {
        if (this.chains.get(customerId) === next) this.chains.delete(customerId);
      });
    this.chains.set(customerId, next);
  }

  up(customerId: string): void {
    const n = (this.counts.get(customerId) ?? 0) + 1;
    this.counts.set(customerId, n);
    if (n === 1) this.write(customerId, () => this.store.connected(customerId, this.instance));
  }

  down(customerId: string): void {
    const n = (this.counts.get(customerId) ?? 0) - 1;
    if (n > 0) return void this.counts.set(customerId, n);
    this.counts.delete(customerId);
    this.write(customerId, () => this.store.disconnected(customerId, this.instance));
  }

  /** Settled writes (tests wait on this before asking the database). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.chains.values()]);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.settled();
    await this.store.leave(this.instance).catch(() => undefined);
  }
}
