import type { Store } from '../../store/types';

/**
 * Slack delivers at least once: an event is retried (X-Slack-Retry-Num) when the ack was
 * slow or lost, and a message in a support channel that mentions the bot arrives twice (as
 * `message` and as `app_mention`, with different event ids). Each key is claimed once in the
 * store, so every instance behind a load balancer agrees on who handles it.
 */
export class SlackDedupe {
  constructor(private readonly store: Store) {}

  /** True the first time this Events API delivery (event_id) is seen. */
  event(eventId: string | undefined): Promise<boolean> {
    return eventId ? this.store.markProcessed(`slack:${eventId}`) : Promise.resolve(true);
  }

  /** True the first time this Slack message (channel + ts) is seen, whichever event carried it. */
  message(channel: string, ts: string): Promise<boolean> {
    return this.store.markProcessed(`slack:msg:${channel}:${ts}`);
  }

  /** True the first time this button click is seen. */
  interaction(messageTs: string | undefined, actionTs: string | undefined, user: string): Promise<boolean> {
    if (!actionTs) return Promise.resolve(true);
    return this.store.markProcessed(`slack:action:${messageTs ?? ''}:${actionTs}:${user}`);
  }
}
