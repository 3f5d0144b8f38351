import type { Logger } from 'pino';
import type { Config } from '../config';
import type { DeliveryWorker } from '../outbox/worker';
import { WEBHOOK_CHANNELS } from '../store/webhooks';
import type { Store } from '../store/types';
import { webhookDeliverer } from './deliverers';
import type { DomainEvents } from './emitter';
import { ImprovementWatch } from './improvement-watch';
import { SlaWatch } from './sla-watch';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Webhooks on this instance: the deliverer of every `webhook:<subscription>` outbox channel, and the SLA watch. */
export function startWebhooks(deps: { store: Store; log: Logger; config: Config; worker: DeliveryWorker; events: DomainEvents; inbox: ImprovementWatch['deps']['inbox'] }): {
  close(): Promise<void>;
  sla: SlaWatch;
  improvements: ImprovementWatch;
} {
  const { store, log, config, worker, events } = deps;
  worker.register(WEBHOOK_CHANNELS, webhookDeliverer({ store, log, events, config }));
  const sla = new SlaWatch({ store, events, log, everyMs: config.webhooks.slaWatchMs, nudge: () => worker.nudge() });
  sla.start();
  const improvements = new ImprovementWatch({ store, events, inbox: deps.inbox, log, everyMs: config.webhooks.slaWatchMs, nudge: () => worker.nudge() });
  improvements.start();
  // Retention: the delivery log keeps 30 days, idempotency keys a day (any instance may prune).
  const housekeeping = setInterval(() => {
    void Promise.all([store.webhooks.prune(new Date(Date.now() - 30 * DAY_MS)), store.apiKeys.pruneIdempotent(new Date(Date.now() - DAY_MS))]).catch((err: unknown) =>
      log.warn({ err }, 'webhook/API housekeeping failed'),
    );
  }, HOUR_MS);
  housekeeping.unref();
  return {
    sla,
    improvements,
    close: async () => {
      clearInterval(housekeeping);
      await Promise.all([sla.stop(), improvements.stop()]);
    },
  };
}
