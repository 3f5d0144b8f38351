import { randomUUID } from 'node:crypto';
import type { RealtimeBus } from '../realtime/bus';
import { deliveryChannel } from '../store/webhooks';
import type { NewOutboxItem, Store } from '../store/types';
import type { EventData, EventType } from './catalogue';

/** A domain event before it is written: its type and data (see the catalogue). */
export type DomainEvent = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];

/** How long the set of subscribed event types is trusted; a change anywhere also clears it (bus). */
const INTEREST_TTL_MS = 5_000;

/**
 * The domain-event emitter. An event becomes one outbox row per subscription that wants it
 * (channel `webhook:<subscription>`), written in the same transaction as the change that causes
 * it: pass `rows(...)` to the store write, or call `emit` for an event that is its own change.
 * Every row of one event carries the same event id. Event types nobody subscribes to cost
 * nothing: no row is written.
 *
 * For other areas, one line each:
 *   await service.events.emit({ type: 'article.published', data: { article: { id, title, url } } });
 *   await service.events.emit({ type: 'improvement.created', data: { improvement: { id, question } } });
 * (or, inside a store transaction: insert `await events.rows([...])` into `outbox` with the change).
 */
export class DomainEvents {
  /** Which subscriptions want each event type (from the database; cleared on changes). */
  private interest: { byType: Map<string, string[]>; at: number } | undefined;

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

  private async wanted(): Promise<Map<string, string[]>> {
    if (this.interest && Date.now() - this.interest.at < INTEREST_TTL_MS) return this.interest.byType;
    const byType = new Map<string, string[]>();
    for (const s of await this.deps.store.webhooks.list()) {
      if (s.active) for (const type of s.events) byType.set(type, [...(byType.get(type) ?? []), s.id]);
    }
    this.interest = { byType, at: Date.now() };
    return byType;
  }

  private async rowsFor(type: string, data: unknown): Promise<NewOutboxItem[]> {
    const subscriptions = (await this.wanted()).get(type) ?? [];
    if (subscriptions.length === 0) return [];
    const event = { id: `evt_${randomUUID().replaceAll('-', '')}`, type, createdAt: new Date().toISOString(), data };
    return subscriptions.map((subscriptionId) => ({ channel: deliveryChannel(subscriptionId), payload: { subscriptionId, event } }));
  }

  /** Outbox rows for these events: one per subscription that wants each (none when nobody does). */
  async rows(events: DomainEvent[]): Promise<NewOutboxItem[]> {
    return (await Promise.all(events.map((e) => this.rowsFor(e.type, e.data)))).flat();
  }

  /**
   * The `message.created` rows for a message about to be appended. Their data is read from the
   * stored message (each outbox row points at it) when the event is sent.
   */
  messageCreated(): Promise<NewOutboxItem[]> {
    return this.rowsFor('message.created', {});
  }

  /** An event that is a change of its own (written alone, then delivered). */
  async emit(event: DomainEvent): Promise<void> {
    const rows = await this.rows([event]);
    if (rows.length === 0) return;
    for (const row of rows) await this.deps.store.outbox.enqueue(row);
    this.deps.nudge();
  }
}
