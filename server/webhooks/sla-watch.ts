import type { Logger } from 'pino';
import { presentTicket } from '../api/present';
import type { Store } from '../store/types';
import type { DomainEvents } from './emitter';
import { periodic } from './periodic';

/** Breaches older than this when first seen (e.g. after a long outage) are not announced any more. */
const LOOKBACK_MS = 24 * 3_600_000;

/**
 * `ticket.sla_breached` has no write that causes it: time does. Every instance looks now and
 * then for tickets whose first-response time just passed unanswered; each breach is written
 * once (a processed-events key in the same transaction as its outbox row), whichever instance
 * sees it first.
 */
export class SlaWatch {
  private timer: { stop(): Promise<void> } | undefined;

  constructor(private readonly deps: { store: Store; events: DomainEvents; log: Logger; everyMs: number; nudge(): void }) {}

  start(): void {
    this.timer = periodic(this.deps.everyMs, () => this.sweep(), (err) => this.deps.log.warn({ err }, 'SLA sweep failed'));
  }

  async stop(): Promise<void> {
    await this.timer?.stop();
  }

  /** One look; returns how many breaches were announced. */
  async sweep(at = Date.now()): Promise<number> {
    const { store, events } = this.deps;
    let announced = 0;
    const overdue = await store.apiReads.overdueTickets(new Date(at - LOOKBACK_MS).toISOString(), new Date(at).toISOString(), 200);
    for (const ticket of overdue) {
      const rows = await events.rows([{ type: 'ticket.sla_breached', data: { ticket: presentTicket(ticket) } }]);
      if (rows.length === 0) return announced;
      if (await store.webhooks.enqueueOnce(`sla_breached:${ticket.id}`, rows)) announced++;
    }
    if (announced > 0) this.deps.nudge();
    return announced;
  }
}
