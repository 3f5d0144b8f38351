import { LogLevel, type Logger as BoltLogger, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Block } from './blocks';

/** Bolt and the Web API client log through pino, at the server's level. */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ channel: 'slack' });
  const join = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => child.debug(join(msg)),
    info: (...msg) => child.info(join(msg)),
    warn: (...msg) => child.warn(join(msg)),
    error: (...msg) => child.error(join(msg)),
    setLevel: () => {},
    getLevel: () => LogLevel.DEBUG,
    setName: () => {},
  };
}

/**
 * Web API retries: a few quick attempts for network errors, 5xx and 429 (after Retry-After).
 * The default policy retries for half an hour, which would pile up work behind a dead token.
 */
export const RETRY_CONFIG = { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 3000, randomize: true };

export interface PostOptions {
  channel: string;
  threadTs?: string;
  text: string;
  blocks?: Block[];
}

/**
 * The few Web API calls the adapter makes. Failures (rate limits after retries,
 * channel_not_found, not_in_channel …) are logged and reported as undefined: a Slack outage
 * never breaks the conversation, which is stored and visible in the console regardless.
 */
export class SlackApi {
  readonly client: InstanceType<typeof webApi.WebClient>;

  constructor(
    token: string,
    private readonly log: Logger,
    apiUrl?: string,
  ) {
    this.client = new webApi.WebClient(token, {
      ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
      retryConfig: RETRY_CONFIG,
      timeout: 10_000,
      logger: boltLogger(log),
    });
  }

  private async attempt<T>(method: string, args: Record<string, unknown>, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (err) {
      const e = err as { code?: string; data?: { error?: string }; message?: string };
      this.log.error({ method, channel: args.channel, code: e.code, error: e.data?.error ?? e.message }, 'Slack Web API call failed');
      return undefined;
    }
  }

  /** Returns the new message's ts. */
  async post(options: PostOptions): Promise<string | undefined> {
    const args = {
      channel: options.channel,
      text: options.text,
      ...(options.blocks ? { blocks: options.blocks } : {}),
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
      unfurl_links: false,
      unfurl_media: false,
    };
    const res = await this.attempt('chat.postMessage', args, () => this.client.chat.postMessage(args));
    return res?.ts;
  }

  async update(channel: string, ts: string, text: string, blocks: Block[]): Promise<boolean> {
    const args = { channel, ts, text, blocks };
    return (await this.attempt('chat.update', args, () => this.client.chat.update(args))) !== undefined;
  }

  async ephemeral(channel: string, user: string, text: string, threadTs?: string): Promise<void> {
    const args = { channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) };
    await this.attempt('chat.postEphemeral', args, () => this.client.chat.postEphemeral(args));
  }

  async user(id: string): Promise<{ name?: string; email?: string } | undefined> {
    const res = await this.attempt('users.info', { user: id }, () => this.client.users.info({ user: id }));
    const u = res?.user;
    if (!u) return undefined;
    const name = u.profile?.display_name || u.profile?.real_name || u.real_name || u.name;
    return { ...(name ? { name } : {}), ...(u.profile?.email ? { email: u.profile.email } : {}) };
  }

  async authTest(): Promise<{ botUserId?: string; botId?: string; teamId?: string }> {
    // Not swallowed: the caller retries authorization on the next event.
    const res = await this.client.auth.test();
    return {
      ...(res.user_id ? { botUserId: res.user_id } : {}),
      ...(res.bot_id ? { botId: res.bot_id } : {}),
      ...(res.team_id ? { teamId: res.team_id } : {}),
    };
  }
}
