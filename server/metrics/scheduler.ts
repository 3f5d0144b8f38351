import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RealtimeBus } from '../realtime/bus';
import type { Store } from '../store/types';
import type { ClosedConversation } from './idle-close';

export interface MetricsJobOptions {
  store: Store;
  bus: RealtimeBus;
  log: Logger;
  /** BOT_IDLE_RESOLVE_MINUTES in ms: a bot conversation untouched this long is closed. */
  idleResolveMs: number;
  pollMs: number;
  /** How long the job row is ours; a killed instance's run is taken over after this. */
  leaseMs: number;
  batch?: number;
  /** After a close is committed (e.g. ask for effort after an assumed resolution); at most once. */
  onClosed?(conversation: ClosedConversation): Promise<void>;
}

const JOB = 'idle_close';

/**
 * The scheduled metrics job, on every instance: whoever holds the job row's lease closes idle
 * bot conversations (a batch at a time, renewing the lease between batches) and folds new
 * events into the roll-up. Each close is itself conditional and atomic, so even two holders
 * (a paused process whose lease ran out) cannot close a conversation twice.
 */
export class MetricsJobs {
  // The pid tells an operator (and the crash test) which process holds the job.
  readonly owner = `metrics:${process.pid}:${randomUUID()}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  /** Set by stop(): a run under way finishes its batch and ends. */
  private halting = false;

  constructor(private readonly options: MetricsJobOptions) {}

  start(): void {
    this.stopped = false;
    this.halting = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.halting = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    this.running = this.runOnce().catch((err: unknown) => this.options.log.error({ err }, 'metrics job failed'));
    await this.running;
    this.running = undefined;
    if (!this.stopped) this.schedule(this.options.pollMs);
  }

  /** One run if this instance gets the lease: how many conversations it closed, or null (another instance has it). */
  async runOnce(): Promise<number | null> {
    const { store, bus, leaseMs, batch = 100 } = this.options;
    if (!(await store.metrics.acquireLease(JOB, this.owner, leaseMs))) return null;
    let closed = 0;
    try {
      while (!this.halting) {
        const cutoff = new Date(Date.now() - this.options.idleResolveMs);
        const done = await store.metrics.closeIdle(cutoff, batch);
        closed += done.length;
        if (done.length > 0) this.options.log.info({ closed: done.length }, 'idle bot conversations closed');
        // The batch is committed; what follows (telling widgets, asking for effort) runs side by side.
        await Promise.all(
          done.map(async (c) => {
            bus.publish({ type: 'conversation', conversationId: c.id, customerId: c.customerId });
            await this.options.onClosed?.(c).catch((err: unknown) => this.options.log.warn({ err, conversationId: c.id }, 'after idle close'));
          }),
        );
        if (done.length < batch) break;
        // SQLite answers synchronously: without a turn of the event loop between batches a long
        // catch-up would hold every request (and the log) until it is done.
        await new Promise<void>((resolve) => setImmediate(resolve));
        // Renew between batches; a lost lease (we stalled past it) means another instance goes on.
        if (!(await store.metrics.acquireLease(JOB, this.owner, leaseMs))) return closed;
      }
      await store.metrics.refresh();
    } finally {
      await store.metrics.releaseLease(JOB, this.owner);
    }
    return closed;
  }
}
