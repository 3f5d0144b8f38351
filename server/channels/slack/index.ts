import { App, type AuthorizeResult, ExpressReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { ChannelContext, MountedChannel } from '../index';
import { AgentsChannel } from './agents-channel';
import { boltLogger, RETRY_CONFIG, SlackApi } from './api';
import { CLAIM_ACTION_ID, CUSTOMER_ACTION_PREFIX } from './render';
import { type SlackBlockActions, SlackInbound, type SlackMessageEvent } from './inbound';
import { SlackOutbound } from './outbound';
import { slackEdge } from './edge';
import { normaliseInPlace } from '../../domain/input';

export const SLACK_EVENTS_PATH = '/slack/events';

/** Slack is configured in a way that cannot work: the server refuses to start. */
export class SlackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackConfigError';
  }
}
/** Payloads a listener below handles; everything else is acknowledged at once by slackEdge. */
function handles(payload: Record<string, unknown>): boolean {
  if (payload.type === 'url_verification' || payload.ssl_check !== undefined) return true;
  if (payload.type === 'event_callback') {
    const type = (payload.event as { type?: unknown } | null | undefined)?.type;
    return type === 'message' || type === 'app_mention';
  }
  if (payload.type === 'block_actions') {
    const actions = Array.isArray(payload.actions) ? (payload.actions as { action_id?: unknown }[]) : [];
    return actions.some((a) => typeof a?.action_id === 'string' && (a.action_id === CLAIM_ACTION_ID || a.action_id.startsWith(CUSTOMER_ACTION_PREFIX)));
  }
  return payload.command === '/answerdesk';
}

/** On close, acked Slack work gets this long to finish. */
const CLOSE_WAIT_MS = 5_000;

/**
 * The Slack channel: Events API, interactivity and the `/answerdesk` command all arrive at
 * POST /slack/events on the shared Express app (bolt's ExpressReceiver checks the signature
 * on the raw body, then acks before the work is done; slackEdge in front of it refuses
 * timestamps outside ±5 minutes, signed bodies that are not objects, and acks what nobody handles).
 * It translates only: Slack events → ConversationService, transcript messages → Block Kit.
 *
 * With SLACK_SOCKET_MODE=true the same handlers are fed by bolt's SocketModeReceiver instead:
 * Slack delivers events over a WebSocket we open (app token `xapp-…`), so a laptop without a
 * public URL can run the bot. No signing secret is needed then: the socket is authenticated.
 */
export async function mountSlack(ctx: ChannelContext): Promise<MountedChannel | undefined> {
  const { app, config, store, service, log, worker } = ctx;
  const { botToken, signingSecret, apiUrl, supportChannels, agentsChannel, socketMode, appToken } = config.slack;
  const required = socketMode ? { SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken } : { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret };
  const missing = Object.entries(required)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length > 0) {
    // Socket Mode asked for but impossible is a mistake worth stopping for; plain absence is not.
    if (socketMode) throw new SlackConfigError(`SLACK_SOCKET_MODE=true needs ${missing.join(' and ')}`);
    log.info(`Slack disabled: ${missing.join(' and ')} not set`);
    return undefined;
  }
  const slackLog = log.child({ channel: 'slack' });
  const logger = boltLogger(log);
  const api = new SlackApi(botToken!, slackLog, apiUrl);
  const publicBase = config.publicUrl ?? `http://localhost:${config.port}`;
  const agents = new AgentsChannel({ store, service, api, log: slackLog, channel: agentsChannel, consoleUrl: `${publicBase}/console` });
  const inbound = new SlackInbound({ store, service, api, agents, log: slackLog, supportChannels: new Set(supportChannels) });
  const outbound = new SlackOutbound({ store, api, agents, log: slackLog, articleUrl: ctx.articleUrl });
  service.registerChannel('slack', outbound);
  worker.register('slack', outbound);

  // Who the bot is (auth.test), asked once and again only after a failure: a Slack outage at
  // start-up must neither crash the server nor leave it unable to recover.
  let identity: Promise<AuthorizeResult> | undefined;
  const authorize = async (): Promise<AuthorizeResult> => {
    identity ??= api.authTest().then((me) => ({ botToken: botToken!, ...(me.botId ? { botId: me.botId } : {}), ...(me.botUserId ? { botUserId: me.botUserId } : {}) }));
    try {
      return await identity;
    } catch (err) {
      identity = undefined;
      throw err;
    }
  };

  const slackApiUrl = apiUrl ? (apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`) : undefined;
  // Timestamp window, signature, body shape and unhandled payloads, before bolt's receiver.
  if (!socketMode) app.post(SLACK_EVENTS_PATH, ...slackEdge({ signingSecret: signingSecret!, handles }));
  const receiver: Receiver = socketMode
    ? new SocketModeReceiver({ appToken: appToken!, logger, installerOptions: { clientOptions: slackApiUrl ? { slackApiUrl } : {} } })
    : new ExpressReceiver({
        signingSecret: signingSecret!,
        endpoints: { events: SLACK_EVENTS_PATH },
        processBeforeResponse: false,
        logger,
        // Mounted on the shared app before any body parser: the signature covers the raw body.
        app,
      });
  const bolt = new App({
    receiver,
    authorize,
    logger,
    clientOptions: { ...(slackApiUrl ? { slackApiUrl } : {}), retryConfig: RETRY_CONFIG },
  });

  if (socketMode) {
    // Over HTTP the edge normalises the parsed body (server/http/edge.ts); Socket Mode bodies
    // come over bolt's WebSocket, so the same normalisation runs here, before any listener.
    bolt.use(async ({ body, next }) => {
      normaliseInPlace(body);
      await next();
    });
  }

  bolt.error(async (err) => {
    slackLog.error({ err }, 'Slack handler failed');
  });

  const botUserId = (context: { botUserId?: string }) => context.botUserId;
  // Work still running after the ack, so close() can let it finish before the store closes.
  const pending = new Set<Promise<unknown>>();
  const track = async (work: Promise<unknown>): Promise<void> => {
    pending.add(work);
    try {
      await work;
    } finally {
      pending.delete(work);
    }
  };

  bolt.event('app_mention', async ({ event, context }) => {
    await track(inbound.onAppMention(event as unknown as SlackMessageEvent, botUserId(context)));
  });
  bolt.event('message', async ({ event, context }) => {
    await track(inbound.onMessage(event as unknown as SlackMessageEvent, botUserId(context)));
  });
  bolt.action(new RegExp(`^${CUSTOMER_ACTION_PREFIX.replace(/\./g, '\\.')}`), async ({ ack, body }) => {
    await ack();
    await track(inbound.onButton(body as unknown as SlackBlockActions));
  });
  bolt.action(CLAIM_ACTION_ID, async ({ ack, body, action }) => {
    await ack();
    const b = body as unknown as SlackBlockActions;
    const channel = b.container?.channel_id ?? b.channel?.id;
    const ticketId = (action as { value?: string }).value;
    if (!ticketId || !channel || channel !== agentsChannel) return;
    await track(agents.claim(ticketId, b.user.id, agents.ephemeralTo(b.user.id, { channel, ...(b.container?.message_ts ? { threadTs: b.container.message_ts } : {}) })));
  });
  bolt.command('/answerdesk', async ({ ack, command, respond }) => {
    await ack();
    const tell = async (text: string) => {
      try {
        await respond({ response_type: 'ephemeral', text });
      } catch (err) {
        slackLog.error({ err }, 'Slack command response failed');
      }
    };
    if (agentsChannel && command.channel_id !== agentsChannel) {
      await tell(`Use /answerdesk in <#${agentsChannel}>, the agents' channel.`);
      return;
    }
    await track(agents.command({ text: command.text, user: command.user_id }, tell));
  });

  // Warm the identity up so the first event is quick; failures are retried on that event.
  authorize().catch((err: unknown) => slackLog.warn({ err }, 'Slack auth.test failed; will retry on the next event'));
  if (socketMode) {
    // Not awaited: Slack being unreachable must not keep the rest of the product from
    // starting. The socket client retries and reconnects by itself.
    bolt.start().then(
      () => slackLog.info('Slack Socket Mode connected'),
      (err: unknown) => slackLog.error({ err }, 'Slack Socket Mode could not connect'),
    );
    slackLog.info({ supportChannels, agentsChannel: agentsChannel ?? null }, 'Slack enabled in Socket Mode (events over a WebSocket; /slack/events is not used)');
  } else {
    slackLog.info({ supportChannels, agentsChannel: agentsChannel ?? null }, `Slack enabled at POST ${SLACK_EVENTS_PATH}`);
  }

  return {
    name: 'slack',
    async close() {
      // In Socket Mode, stop taking events first; the HTTP receiver shares the server's
      // listener instead. What is left is work acked but not finished (bounded: Web API
      // retries give up within seconds).
      if (socketMode) await bolt.stop().catch((err: unknown) => slackLog.warn({ err }, 'Slack Socket Mode did not close cleanly'));
      const deadline = Date.now() + CLOSE_WAIT_MS;
      while (pending.size > 0 && Date.now() < deadline) {
        await Promise.race([Promise.allSettled([...pending]), new Promise((resolve) => setTimeout(resolve, 50))]);
      }
    },
  };
}
