import { LogLevel, type Logger as BoltLogger, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { DeliveryError, retryableStatus } from '../../outbox/delivery-error';
import type { Block } from './render';

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
 * Web API retries for bolt's own calls (auth.test, command responses): a few quick attempts.
 * Deliveries use a client without retries: the outbox retries with its own backoff, so a slow
 * or failing Slack never holds a worker (or a lease) for long.
 */
export const RETRY_CONFIG = { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 3000, randomize: true };
const NO_RETRIES = { retries: 0 };
/** Slack's own error names that no retry can fix. */
const PERMANENT = new Set([
  'channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked',
  'token_expired', 'no_permission', 'missing_scope', 'msg_too_long', 'invalid_blocks', 'invalid_arguments', 'message_not_found',
  'cant_update_message', 'user_not_in_channel', 'restricted_action', 'team_access_not_granted', 'ekm_access_denied',
]);

/** A Web API failure as the outbox needs it: Slack's reason, and whether trying again can help. */
export function deliveryErrorOf(err: unknown): DeliveryError {
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number; retryAfter?: number; message?: string };
  switch (e?.code) {
    case 'slack_webapi_platform_error': {
      const reason = e.data?.error ?? 'platform_error';
      return new DeliveryError(reason, !PERMANENT.has(reason), undefined, { cause: err });
    }
    case 'slack_webapi_rate_limited_error':
      return new DeliveryError('ratelimited', true, (e.retryAfter ?? 1) * 1000, { cause: err });
    case 'slack_webapi_http_error': {
      const status = e.statusCode ?? 0;
      return new DeliveryError(`HTTP ${status}`, retryableStatus(status), undefined, { cause: err });
    }
    default:
      // Request errors: timeouts, refused connections, DNS — the network, worth another try.
      return new DeliveryError(e?.message ?? 'request failed', true, undefined, { cause: err });
  }
}

export interface PostOptions {
  channel: string;
  threadTs?: string;
  text: string;
  blocks?: Block[];
}

/**
 * The few Web API calls the adapter makes. Deliveries (`send…`) throw a DeliveryError for the
 * outbox to retry or record; the agents' side (`post`, `update`, `ephemeral`, `user`) logs a
 * failure and carries on: a Slack outage never breaks a conversation, which is stored and
 * visible in the console regardless.
 */
export class SlackApi {
  readonly client: InstanceType<typeof webApi.WebClient>;
  /** No retries and 429s thrown, not slept on: the outbox owns retrying. */
  private readonly delivery: InstanceType<typeof webApi.WebClient>;

  constructor(
    token: string,
    private readonly log: Logger,
    apiUrl?: string,
    timeoutMs = 10_000,
  ) {
    const common = { ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}), timeout: timeoutMs, logger: boltLogger(log) };
    this.client = new webApi.WebClient(token, { ...common, retryConfig: RETRY_CONFIG });
    this.delivery = new webApi.WebClient(token, { ...common, retryConfig: NO_RETRIES, rejectRateLimitedCalls: true });
  }

  /** Posts for a delivery; returns the new message's ts or throws a DeliveryError. */
  async sendPost(options: PostOptions): Promise<string | undefined> {
    try {
      const res = await this.delivery.chat.postMessage(postArgs(options));
      return res.ts;
    } catch (err) {
      throw deliveryErrorOf(err);
    }
  }

  async sendEphemeral(channel: string, user: string, text: string, threadTs?: string): Promise<void> {
    try {
      await this.delivery.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
    } catch (err) {
      throw deliveryErrorOf(err);
    }
  }

  async sendUpdate(channel: string, ts: string, text: string, blocks: Block[]): Promise<void> {
    try {
      await this.delivery.chat.update({ channel, ts, text, blocks });
    } catch (err) {
      throw deliveryErrorOf(err);
    }
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
    const args = postArgs(options);
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

function postArgs(options: PostOptions) {
  return {
    channel: options.channel,
    text: options.text,
    ...(options.blocks ? { blocks: options.blocks } : {}),
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    unfurl_links: false,
    unfurl_media: false,
  };
}
