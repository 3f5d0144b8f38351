import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { ConversationService } from '../conversations';
import type { RealtimeBus } from '../realtime/bus';
import type { Store } from '../store/types';
import { mountSlack } from './slack';
import { mountTeams } from './teams';

/** What a platform channel (Slack, Teams) gets to translate between its platform and the engine. */
export interface ChannelContext {
  app: Express;
  config: Config;
  store: Store;
  service: ConversationService;
  bus: RealtimeBus;
  log: Logger;
  /** Absolute article link for platforms outside the site. */
  articleUrl(articleId: string): string;
}

export interface MountedChannel {
  name: string;
  close(): Promise<void>;
}

/**
 * Mount every configured platform channel. Each mounts its own HTTP endpoint before any
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
