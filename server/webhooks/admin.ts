import { invalid, notFound } from '../domain/errors';
import type { Config } from '../config';
import type { Store } from '../store/types';
import type { WebhookSubscription } from '../store/webhooks';
import { EVENT_TYPES } from './catalogue';
import type { DomainEvents } from './emitter';
import { targetProblem } from './safe-post';

/** Rotation overlap when none is given: a day for receivers to switch to the new secret. */
export const DEFAULT_OVERLAP_HOURS = 24;

/** Managing subscriptions, the same from the console and the API: targets and event names checked here. */
export class WebhookAdmin {
  constructor(private readonly deps: { store: Store; events: DomainEvents; config: Pick<Config, 'env' | 'webhooks'> }) {}

  private check(url: string | undefined, events: string[] | undefined): void {
    if (url !== undefined) {
      const problem = targetProblem(url, { allowPrivate: this.deps.config.webhooks.allowPrivate, requireHttps: this.deps.config.env === 'production' });
      if (problem) throw invalid('invalid_webhook_url', `this URL cannot receive webhooks: ${problem}`);
    }
    const unknown = events?.filter((e) => !(EVENT_TYPES as string[]).includes(e));
    if (unknown?.length) throw invalid('unknown_event', `unknown event ${unknown[0]}; known: ${EVENT_TYPES.join(', ')}`);
    if (events && events.length === 0) throw invalid('no_events', 'subscribe to at least one event');
  }

  async create(input: { url: string; events: string[]; description?: string | null }): Promise<{ subscription: WebhookSubscription; secret: string }> {
    this.check(input.url, input.events);
    const created = await this.deps.store.webhooks.create(input);
    this.deps.events.changed();
    return created;
  }

  async update(id: string, patch: { url?: string; events?: string[]; description?: string | null; active?: boolean }): Promise<WebhookSubscription> {
    this.check(patch.url, patch.events);
    const updated = await this.deps.store.webhooks.update(id, patch);
    if (!updated) throw notFound('webhook', id);
    this.deps.events.changed();
    return updated;
  }

  async remove(id: string): Promise<void> {
    if (!(await this.deps.store.webhooks.remove(id))) throw notFound('webhook', id);
    this.deps.events.changed();
  }

  async rotate(id: string, overlapHours = DEFAULT_OVERLAP_HOURS): Promise<{ subscription: WebhookSubscription; secret: string }> {
    const rotated = await this.deps.store.webhooks.rotateSecret(id, overlapHours * 3_600_000);
    if (!rotated) throw notFound('webhook', id);
    return rotated;
  }

  async redeliver(subscriptionId: string, deliveryId: string) {
    const delivery = await this.deps.store.webhooks.delivery(deliveryId);
    if (!delivery || delivery.subscriptionId !== subscriptionId) throw notFound('delivery', deliveryId);
    return (await this.deps.store.webhooks.redeliver(deliveryId))!;
  }

  async subscription(id: string): Promise<WebhookSubscription> {
    const s = await this.deps.store.webhooks.get(id);
    if (!s) throw notFound('webhook', id);
    return s;
  }
}
