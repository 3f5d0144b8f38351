import { App, type AuthorizeResult, ExpressReceiver } from '@slack/bolt';
import type { ChannelContext, MountedChannel } from '../index';
import { AgentsChannel } from './agents-channel';
import { boltLogger, RETRY_CONFIG, SlackApi } from './api';
import { CLAIM_ACTION_ID, CUSTOMER_ACTION_PREFIX } from './blocks';
import { SlackDedupe } from './dedupe';
import { type SlackBlockActions, SlackInbound, type SlackMessageEvent } from './inbound';
import { SlackOutbound } from './outbound';
import { NoticeIndex } from './refs';

export const SLACK_EVENTS_PATH = '/slack/events';
/** On close, acked Slack work gets this long to finish. */
const CLOSE_WAIT_MS = 5_000;

/**
 * The Slack channel: Events API, interactivity and the `/answerdesk` command all arrive at
 * POST /slack/events on the shared Express app (bolt's ExpressReceiver checks the signature
 * and the 5-minute timestamp window on the raw body, then acks before the work is done).
 * It translates only: Slack events → ConversationService, transcript messages → Block Kit.
 */
export async function mountSlack(ctx: ChannelContext): Promise<MountedChannel | undefined> {
  const { app, config, store, service, log } = ctx;
  const { botToken, signingSecret, apiUrl, supportChannels, agentsChannel } = config.slack;
  const missing = [!botToken && 'SLACK_BOT_TOKEN', !signingSecret && 'SLACK_SIGNING_SECRET'].filter(Boolean);
  if (!botToken || !signingSecret) {
    log.info(`Slack disabled: ${missing.join(' and ')} not set`);
    return undefined;
  }
  const slackLog = log.child({ channel: 'slack' });
  const logger = boltLogger(log);
  const api = new SlackApi(botToken, slackLog, apiUrl);
  const publicBase = config.publicUrl ?? `http://localhost:${config.port}`;
  const notices = new NoticeIndex(store);
  const agents = new AgentsChannel({ store, service, api, log: slackLog, notices, channel: agentsChannel, consoleUrl: `${publicBase}/console` });
  const inbound = new SlackInbound({ store, service, api, agents, dedupe: new SlackDedupe(store), log: slackLog, supportChannels: new Set(supportChannels) });
  service.registerChannel('slack', new SlackOutbound({ store, api, agents, log: slackLog, articleUrl: ctx.articleUrl }));

  // Who the bot is (auth.test), asked once and again only after a failure: a Slack outage at
  // start-up must neither crash the server nor leave it unable to recover.
  let identity: Promise<AuthorizeResult> | undefined;
  const authorize = async (): Promise<AuthorizeResult> => {
    identity ??= api.authTest().then((me) => ({ botToken, ...(me.botId ? { botId: me.botId } : {}), ...(me.botUserId ? { botUserId: me.botUserId } : {}) }));
    try {
      return await identity;
    } catch (err) {
      identity = undefined;
      throw err;
    }
  };

  const receiver = new ExpressReceiver({
    signingSecret,
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
    clientOptions: { ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}), retryConfig: RETRY_CONFIG },
  });

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

  bolt.event('app_mention', async ({ event, body, context }) => {
    await track(inbound.onAppMention(event as unknown as SlackMessageEvent, body.event_id, botUserId(context)));
  });
  bolt.event('message', async ({ event, body, context }) => {
    await track(inbound.onMessage(event as unknown as SlackMessageEvent, body.event_id, botUserId(context)));
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
  slackLog.info({ supportChannels, agentsChannel: agentsChannel ?? null }, 'Slack enabled at POST /slack/events');

  return {
    name: 'slack',
    async close() {
      // The receiver shares the server's HTTP listener; what is left is work acked but not
      // finished (bounded: Web API retries give up within seconds).
      const deadline = Date.now() + CLOSE_WAIT_MS;
      while (pending.size > 0 && Date.now() < deadline) {
        await Promise.race([Promise.allSettled([...pending]), new Promise((resolve) => setTimeout(resolve, 50))]);
      }
    },
  };
}
