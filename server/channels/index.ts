import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { ConversationService } from '../conversations';
import type { RealtimeBus } from '../realtime/bus';
import type { DeliveryWorker } from '../outbox/worker';
import type { Store } from '../store/types';
import { mountSlack } from './slack';
import { mountTeams } from './teams';

/**
 * What a channel gets to translate between its platform and the service. Every channel lives
 * in its own folder with the same files: index.ts (mount), inbound.ts (platform event → the
 * service's Inbound), outbound.ts (stored message → platform call, via the outbox), render.ts
 * (reply → platform format).
 */
export interface ChannelContext {
  app: Express;
  config: Config;
  store: Store;
  service: ConversationService;
  bus: RealtimeBus;
  log: Logger;
  /** Platform channels register their deliverer here: everything they send goes through the outbox. */
  worker: DeliveryWorker;
  /** Absolute article link for platforms outside the site. */
  articleUrl(articleId: string): string;
}

export interface MountedChannel {
  name: string;
  close(): Promise<void>;
}

/**
 * Mount every configured platform channel (the web widget is mounted by the app itself). Each mounts its own HTTP endpoint before any
 * body parser sees the request (signature checks need the raw body). Channels that are not
 * configured are skipped and say so in the log.
 */
export async function mountChannels(ctx: ChannelContext): Promise<MountedChannel[]> {
  const mounted: MountedChannel[] = [];
  const slack = await mountSlack(ctx);
  if (slack) mounted.push(slack);
  const teams = await mountTeams(ctx);
  if (teams) mounted.push(teams);
  return mounted;
}
