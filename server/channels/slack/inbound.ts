import type { Logger } from 'pino';
import type { ConversationService } from '../../conversations';
import type { Inbound } from '../../domain/inbound';
import type { Store } from '../../store/types';
import type { AgentsChannel } from './agents-channel';
import type { SlackApi } from './api';
import { type Block, decodeButtonValue, renderAnswered } from './render';
import { type SlackRef, slackThreadKey } from './refs';

/** The fields of a Slack `message` / `app_mention` event the adapter reads. */
export interface SlackMessageEvent {
  type: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
  team?: string;
}

/** The fields of a block_actions payload the adapter reads. */
export interface SlackBlockActions {
  user: { id: string };
  channel?: { id: string };
  container?: { message_ts?: string; channel_id?: string; thread_ts?: string };
  message?: { ts?: string; thread_ts?: string; blocks?: Block[]; text?: string };
  actions: { action_id: string; value?: string; action_ts?: string }[];
}

/** Subtypes that are still a person typing; every other subtype (edits, joins, bots …) is ignored. */
const PERSON_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

export interface InboundDeps {
  store: Store;
  service: ConversationService;
  api: SlackApi;
  agents: AgentsChannel;
  log: Logger;
  supportChannels: ReadonlySet<string>;
}

/** Removes the bot's own mention (`<@U123>` or `<@U123|name>`) and tidies the whitespace. */
export function stripMention(text: string, botUserId: string | undefined): string {
  const own = botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g') : /^\s*<@[A-Z0-9]+(\|[^>]*)?>/;
  return text.replace(own, ' ').replace(/\s+/g, ' ').trim();
}

export function isFromPerson(event: SlackMessageEvent, botUserId: string | undefined): event is SlackMessageEvent & { user: string } {
  if (event.bot_id || !event.user || event.user === botUserId) return false;
  return !event.subtype || PERSON_SUBTYPES.has(event.subtype);
}

/**
 * Slack → the service's inbound shape. Every question is answered in a thread (the message's
 * own, or the thread it was asked in): one thread key per member and thread. De-duplication
 * (an event retried, a mention arriving as `message` and `app_mention`), limits, scoping and
 * who may press a button are the service's: the Slack message ts is the idempotency key.
 */
export class SlackInbound {
  constructor(private readonly deps: InboundDeps) {}

  async onAppMention(event: SlackMessageEvent, botUserId: string | undefined): Promise<void> {
    if (!isFromPerson(event, botUserId)) return;
    const text = stripMention(event.text ?? '', botUserId);
    if (event.channel === this.deps.agents.channel) return this.toAgents(event, text);
    await this.customerSays(event, text, true);
  }

  async onMessage(event: SlackMessageEvent, botUserId: string | undefined): Promise<void> {
    if (!isFromPerson(event, botUserId)) return;
    const isDm = event.channel_type === 'im';
    const isAgents = event.channel === this.deps.agents.channel;
    const isSupport = this.deps.supportChannels.has(event.channel);
    const inThread = !!event.thread_ts && event.thread_ts !== event.ts;
    // Elsewhere only follow-ups in a thread the member already has with the bot count.
    if (!isDm && !isAgents && !isSupport && !inThread) return;
    // A mention in a channel also arrives as app_mention, which answers it (in any thread).
    if (!isDm && botUserId && (event.text ?? '').includes(`<@${botUserId}`)) return;
    if (isAgents) return this.toAgents(event, event.text ?? '');
    const text = isDm ? stripMention(event.text ?? '', botUserId) : (event.text ?? '').trim();
    // Replies in threads the member has no conversation in (other people's threads, chatter
    // under an announcement) are not questions for the bot; in DMs and as new top-level
    // messages in a support channel they are.
    await this.customerSays(event, text, isDm || (isSupport && !inThread));
  }

  /** The agents' own channel: replies in a ticket's thread, once per Slack message. */
  private async toAgents(event: SlackMessageEvent & { user: string }, text: string): Promise<void> {
    if (!(await this.deps.store.limits.markProcessed(`slack:agents:${event.channel}:${event.ts}`))) return;
    await this.deps.agents.onMessage({ channel: event.channel, user: event.user, text, ts: event.ts, ...(event.thread_ts ? { thread_ts: event.thread_ts } : {}) });
  }

  private async customerSays(event: SlackMessageEvent & { user: string }, text: string, mayStart: boolean): Promise<void> {
    const threadTs = event.thread_ts ?? event.ts;
    const ref: SlackRef = { channel: event.channel, threadTs, user: event.user, ...(event.team ? { team: event.team } : {}) };
    const inbound: Inbound = {
      channel: 'slack',
      sender: { externalId: event.user, profile: async () => (await this.deps.api.user(event.user)) ?? {} },
      threadKey: slackThreadKey(event.channel, threadTs),
      mayStart,
      body: { type: 'text', text },
      platformId: `slack:${event.channel}:${event.ts}`,
      receivedAt: new Date(),
      channelRef: ref,
      replyTo: { channel: event.channel, user: event.user, threadTs },
    };
    const result = await this.deps.service.receive(inbound);
    this.deps.log.debug({ result: result.kind, channel: event.channel }, 'Slack message from a member');
  }

  /** A member pressed one of the bot's buttons (feedback, choice, person, CES). */
  async onButton(body: SlackBlockActions): Promise<void> {
    const pressed = body.actions[0];
    const value = decodeButtonValue(pressed?.value);
    if (!pressed || !value) return;
    const channel = body.container?.channel_id ?? body.channel?.id;
    const messageTs = body.container?.message_ts ?? body.message?.ts;
    const threadTs = body.container?.thread_ts ?? body.message?.thread_ts ?? messageTs;
    if (!channel || !messageTs || !threadTs) return;
    const result = await this.deps.service.receive({
      channel: 'slack',
      sender: { externalId: body.user.id },
      threadKey: slackThreadKey(channel, threadTs),
      mayStart: false,
      body: { type: 'action', action: value.a, label: value.l, conversationId: value.c, cardId: `slack:${channel}:${messageTs}` },
      platformId: `slack:action:${messageTs}:${pressed.action_ts ?? ''}`,
      receivedAt: new Date(),
      replyTo: { channel, user: body.user.id, threadTs },
    });
    // The buttons turn into the answer, so nobody presses twice (sent like any other delivery).
    if (result.kind === 'stored' && !result.duplicate) {
      await this.deps.service.notice('slack', { type: 'buttons_answered', channel, ts: messageTs, text: body.message?.text ?? value.l, blocks: renderAnswered(body.message?.blocks, value.l) });
    }
    this.deps.log.debug({ result: result.kind, action: value.a.kind }, 'Slack button from a member');
  }
}
