import type { Logger } from 'pino';
import type { InboxItem } from '../kb/inbox';
import type { Store } from '../store/types';
import type { DomainEvents } from './emitter';
import { periodic } from './periodic';

/**
 * `improvement.created`: an "Improve the bot" item is not written anywhere — the inbox groups
 * the bot's recorded misses when asked — so every instance looks now and then at the last day's
 * open items and announces each new one once (a processed-events key written with its outbox
 * row), whichever instance sees it first. Nothing is computed while nobody subscribes.
 */
export class ImprovementWatch {
  private timer: { stop(): Promise<void> } | undefined;

  constructor(readonly deps: { store: Store; events: DomainEvents; inbox: { items(q: { days: number; status: 'open' }): Promise<InboxItem[]> }; log: Logger; everyMs: number; nudge(): void }) {}

  start(): void {
    this.timer = periodic(this.deps.everyMs, () => this.sweep(), (err) => this.deps.log.warn({ err }, 'improvement sweep failed'));
  }

  async stop(): Promise<void> {
    await this.timer?.stop();
  }

  /** One look; returns how many new items were announced. */
  async sweep(): Promise<number> {
    const { store, events, inbox } = this.deps;
    const wanted = await events.rows([{ type: 'improvement.created', data: { improvement: { id: 'probe' } } }]);
    if (wanted.length === 0) return 0;
    let announced = 0;
    for (const item of await inbox.items({ days: 1, status: 'open' })) {
      if (item.confirmedOnly) continue;
      const improvement = { id: item.key, question: item.text, count: item.count, kinds: item.kinds, firstAt: item.firstAt, lastAt: item.lastAt, conversationIds: item.conversations.slice(0, 5).map((c) => c.id) };
      const rows = await events.rows([{ type: 'improvement.created', data: { improvement } }]);
      if (await store.webhooks.enqueueOnce(`improvement:${item.key}`, rows)) announced++;
    }
    if (announced > 0) this.deps.nudge();
    return announced;
  }
}
