import type { Logger } from 'pino';
import { presentMessage } from '../api/present';
import type { Config } from '../config';
import type { BackoffPolicy } from '../outbox/backoff';
import { DeliveryError } from '../outbox/delivery-error';
import type { Deliverer } from '../outbox/worker';
import type { OutboxItem, Store } from '../store/types';
import type { DomainEvents } from './emitter';
import { safePost, UnsafeTargetError } from './safe-post';
import { SIGNATURE_HEADER, signatureHeader } from './signature';

interface Envelope {
  id: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown>;
}

export interface WebhookDelivererDeps {
  store: Store;
  log: Logger;
  events: DomainEvents;
  config: Pick<Config, 'env' | 'webhooks'>;
}

/**
 * Builds the body of an event row (a `message.created` reads its message, which the row points
 * at) and finds or creates its delivery-log row: the same on every attempt, also after a crash.
 */
async function deliveryOf(store: Store, item: OutboxItem) {
  if (typeof item.payload.deliveryId === 'string') return store.webhooks.delivery(item.payload.deliveryId);
  const subscriptionId = String(item.payload.subscriptionId ?? '');
  const event = item.payload.event as Envelope | undefined;
  // A subscription deleted since the event was written: nothing to send, nothing to log.
  if (!event || !(await store.webhooks.get(subscriptionId))) return undefined;
  let data = event.data;
  if (event.type === 'message.created') {
    const message = item.messageId ? await store.conversations.message(item.messageId) : undefined;
    if (!message) return undefined;
    data = { message: presentMessage(message) };
  }
  const body = JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt, data });
  return store.webhooks.ensureDelivery(subscriptionId, { id: event.id, type: event.type, body });
}

/**
 * One POST of one event to one subscription, signed, through the SSRF guard. Any
 * non-2xx answer is retried with exponential backoff for WEBHOOK_RETRY_HOURS (measured from
 * when this delivery was queued); a subscription failing for WEBHOOK_DISABLE_AFTER_HOURS in a
 * row is turned off with a notice for admins.
 */
export function webhookDeliverer(deps: WebhookDelivererDeps): Deliverer {
  const { store, log, config } = deps;
  const w = config.webhooks;
  const backoff: BackoffPolicy = { baseMs: w.retryBaseMs, maxMs: w.retryMaxMs, maxAttempts: 10_000 };
  return {
    backoff,
    async deliver(item: OutboxItem) {
      const delivery = await deliveryOf(store, item);
      if (!delivery) return;
      const subscription = await store.webhooks.get(delivery.subscriptionId);
      if (!subscription?.active) {
        await store.webhooks.recordAttempt(delivery.id, { at: new Date().toISOString(), status: null, error: 'subscription disabled or deleted', durationMs: 0 }, 'failed');
        return;
      }
      const secrets = (await store.webhooks.secrets(subscription.id))!;
      const started = Date.now();
      let status: number | null = null;
      let failure: string;
      let unsafe = false;
      try {
        const res = await safePost(
          subscription.url,
          delivery.body,
          {
            [SIGNATURE_HEADER]: signatureHeader(delivery.body, [secrets.secret, ...(secrets.previous ? [secrets.previous] : [])]),
            'answerdesk-event-id': delivery.eventId,
            'answerdesk-event-type': delivery.eventType,
            'answerdesk-delivery-id': delivery.id,
            'user-agent': 'answerdesk-webhooks/1',
          },
          { allowPrivate: w.allowPrivate, requireHttps: config.env === 'production', timeoutMs: w.timeoutMs },
        );
        status = res.status;
        if (res.status >= 200 && res.status < 300) {
          await store.webhooks.recordAttempt(delivery.id, { at: new Date(started).toISOString(), status, error: null, durationMs: Date.now() - started }, 'delivered');
          if (subscription.failingSince) await store.webhooks.markHealthy(subscription.id);
          return;
        }
        failure = `HTTP ${res.status}${res.excerpt ? `: ${res.excerpt.slice(0, 120)}` : ''}`;
      } catch (err) {
        unsafe = err instanceof UnsafeTargetError;
        failure = err instanceof Error ? err.message : String(err);
      }
      // A refused target never becomes safe by waiting; anything else is retried within the window.
      const expired = Date.now() - Date.parse(item.createdAt) >= w.retryWindowMs;
      const final = unsafe || expired;
      await store.webhooks.recordAttempt(delivery.id, { at: new Date(started).toISOString(), status, error: failure, durationMs: Date.now() - started }, final ? 'failed' : 'pending');
      const since = await store.webhooks.markFailing(subscription.id);
      if (since && Date.now() - Date.parse(since) >= w.disableAfterMs) {
        const reason = `every delivery failed since ${since} (last: ${failure.slice(0, 200)})`;
        if (await store.webhooks.disable(subscription.id, reason)) {
          log.warn({ subscriptionId: subscription.id, url: subscription.url, since }, 'webhook subscription disabled after a day of failures');
          // The admins' notice: shown on the console's webhooks page and kept in the event log.
          await store.events.log({ type: 'webhook_disabled', data: { subscriptionId: subscription.id, url: subscription.url, reason } });
          deps.events.changed();
        }
      }
      throw new DeliveryError(failure, !final);
    },
  };
}
