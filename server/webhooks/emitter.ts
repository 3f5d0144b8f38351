import { randomUUID } from 'node:crypto';
import type { RealtimeBus } from '../realtime/bus';
import { EVENT_CHANNEL } from '../store/webhooks';
import type { NewOutboxItem, Store } from '../store/types';
import type { EventData, EventType } from './catalogue';

/** A domain event before it is written: its type and data (see the catalogue). */
export type DomainEvent = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];

/** How long the set of subscribed event types is trusted; a change anywhere also clears it (bus). */
const INTEREST_TTL_MS = 5_000;

/**
 * The domain-event emitter. An event becomes one outbox row (channel `webhook-event`) written in
 * the same transaction as the change that causes it: pass `rows(...)` to the store write, or
 * call `emit` for an event that is its own change. The delivery worker then fans it out into one
 * delivery per subscription. Event types nobody subscribes to cost nothing: no row is written.
 *
 * For other areas, one line each:
 *   await service.events.emit({ type: 'article.published', data: { article: { id, title, url } } });
 *   await service.events.emit({ type: 'improvement.created', data: { improvement: { id, question } } });
 * (or, inside a store transaction: insert `await events.rows([...])` into `outbox` with the change).
 */
export class DomainEvents {
  private interest: { types: Set<string>; at: number } | undefined;

  constructor(private readonly deps: { store: Store; bus: RealtimeBus; nudge(): void }) {
    deps.bus.subscribe((e) => {
      if (e.type === 'webhooks' || e.type === 'resync') this.interest = undefined;
    });
  }

  /** Subscriptions changed here: every instance re-reads which types are wanted. */
  changed(): void {
    this.interest = undefined;
    this.deps.bus.publish({ type: 'webhooks' });
  }

  private async wanted(): Promise<Set<string>> {
    if (this.interest && Date.now() - this.interest.at < INTEREST_TTL_MS) return this.interest.types;
    const subs = await this.deps.store.webhooks.list();
    const types = new Set(subs.filter((s) => s.active).flatMap((s) => s.events));
    this.interest = { types, at: Date.now() };
    return types;
  }

  /** Outbox rows for these events (none for types no active subscription wants). */
  async rows(events: DomainEvent[]): Promise<NewOutboxItem[]> {
    if (events.length === 0) return [];
    const wanted = await this.wanted();
    return events
      .filter((e) => wanted.has(e.type))
      .map((e) => ({ channel: EVENT_CHANNEL, payload: { id: `evt_${randomUUID().replaceAll('-', '')}`, type: e.type, createdAt: new Date().toISOString(), data: e.data } }));
  }

  /**
   * The `message.created` row for a message about to be appended. Its data is read from the
   * stored message (the outbox row points at it) when the event is fanned out.
   */
  async messageCreated(): Promise<NewOutboxItem[]> {
    if (!(await this.wanted()).has('message.created')) return [];
    return [{ channel: EVENT_CHANNEL, payload: { id: `evt_${randomUUID().replaceAll('-', '')}`, type: 'message.created', createdAt: new Date().toISOString(), data: {} } }];
  }

  /** An event that is a change of its own (written alone, then delivered). */
  async emit(event: DomainEvent): Promise<void> {
    const [row] = await this.rows([event]);
    if (!row) return;
    await this.deps.store.outbox.enqueue(row);
    this.deps.nudge();
  }
}
