import type { Logger } from 'pino';
import type { ConversationService } from '../../conversations';
import type { Conversation, Customer, Store } from '../../store/types';
import type { AgentsChannel } from './agents-channel';
import type { SlackApi } from './api';
import { type Block, decodeButtonValue, escapeMrkdwn, renderAnswered } from './blocks';
import type { SlackDedupe } from './dedupe';
import { conversationInThread, slackRef, type SlackRef } from './refs';

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
  dedupe: SlackDedupe;
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
 * Slack → service. Every question is answered in a thread (the message's own, or the thread
 * it was asked in); one answerdesk conversation per member and thread.
 */
export class SlackInbound {
  constructor(private readonly deps: InboundDeps) {}

  async onAppMention(event: SlackMessageEvent, eventId: string | undefined, botUserId: string | undefined): Promise<void> {
    if (!isFromPerson(event, botUserId)) return;
    if (!(await this.deps.dedupe.event(eventId))) return;
    if (!(await this.deps.dedupe.message(event.channel, event.ts))) return;
    const text = stripMention(event.text ?? '', botUserId);
    if (event.channel === this.deps.agents.channel) {
      await this.deps.agents.onMessage({ channel: event.channel, user: event.user, text, ts: event.ts, ...(event.thread_ts ? { thread_ts: event.thread_ts } : {}) });
      return;
    }
    await this.customerSays(event, text, true);
  }

  async onMessage(event: SlackMessageEvent, eventId: string | undefined, botUserId: string | undefined): Promise<void> {
    if (!isFromPerson(event, botUserId)) return;
    const isDm = event.channel_type === 'im';
    const isAgents = event.channel === this.deps.agents.channel;
    const isSupport = this.deps.supportChannels.has(event.channel);
    const inThread = !!event.thread_ts && event.thread_ts !== event.ts;
    // Elsewhere only follow-ups in a thread the member already has with the bot count.
    if (!isDm && !isAgents && !isSupport && !inThread) return;
    // A mention in a channel also arrives as app_mention, which answers it (in any thread).
    if (!isDm && botUserId && (event.text ?? '').includes(`<@${botUserId}`)) return;
    if (!(await this.deps.dedupe.event(eventId))) return;
    if (!(await this.deps.dedupe.message(event.channel, event.ts))) return;
    if (isAgents) {
      await this.deps.agents.onMessage({ channel: event.channel, user: event.user, text: event.text ?? '', ts: event.ts, ...(event.thread_ts ? { thread_ts: event.thread_ts } : {}) });
      return;
    }
    const text = isDm ? stripMention(event.text ?? '', botUserId) : (event.text ?? '').trim();
    // Replies in threads the member has no conversation in (other people's threads, chatter
    // under an announcement) are not questions for the bot; in DMs and as new top-level
    // messages in a support channel they are.
    await this.customerSays(event, text, isDm || (isSupport && !inThread));
  }

  private async customerSays(event: SlackMessageEvent & { user: string }, text: string, mayStart: boolean): Promise<void> {
    const { store, service, agents, log } = this.deps;
    if (!text) return;
    const threadTs = event.thread_ts ?? event.ts;
    const customer = mayStart ? await this.customer(event.user) : await store.findCustomerByExternalId('slack', event.user);
    if (!customer) return;
    let conversation = await conversationInThread(store, customer, event.channel, threadTs);
    if (!conversation && !mayStart) return;
    if (!conversation || conversation.state === 'resolved') {
      const ref: SlackRef = { channel: event.channel, threadTs, user: event.user, ...(event.team ? { team: event.team } : {}) };
      conversation = await service.conversationFor(customer, 'slack', { channelRef: ref, startNew: true });
    }
    const before = conversation.state;
    log.debug({ conversationId: conversation.id, channel: event.channel }, 'Slack message from a member');
    await service.customerText(conversation, text, `slack:${event.channel}:${event.ts}`);
    // With people on it, the member's follow-ups are mirrored into the agents' thread too.
    if (before !== 'bot') await this.mirror(conversation, `*<@${event.user}>*: ${escapeMrkdwn(text)}`);
  }

  private async mirror(conversation: Conversation, mrkdwn: string): Promise<void> {
    const fresh = await this.deps.store.getConversation(conversation.id);
    const ref = fresh && slackRef(fresh);
    if (ref?.notice) await this.deps.agents.toThread(ref, mrkdwn);
  }

  /** The Slack member as an answerdesk customer (name and email from their profile, once). */
  private async customer(user: string): Promise<Customer> {
    const { store, api } = this.deps;
    const existing = await store.findCustomerByExternalId('slack', user);
    if (existing) return existing;
    const profile = await api.user(user);
    return store.upsertCustomer({
      channel: 'slack',
      externalId: user,
      ...(profile?.name ? { name: profile.name } : {}),
      ...(profile?.email ? { email: profile.email } : {}),
    });
  }

  /** A member pressed one of the bot's buttons (feedback, choice, person, CES). */
  async onButton(body: SlackBlockActions): Promise<void> {
    const { store, service, api, dedupe, log } = this.deps;
    const pressed = body.actions[0];
    const value = decodeButtonValue(pressed?.value);
    if (!pressed || !value) return;
    const channel = body.container?.channel_id ?? body.channel?.id;
    const messageTs = body.container?.message_ts ?? body.message?.ts;
    const threadTs = body.container?.thread_ts ?? body.message?.thread_ts;
    const conversation = await store.getConversation(value.c);
    const customer = conversation && (await store.getCustomer(conversation.customerId));
    if (!conversation || conversation.channel !== 'slack' || !customer) return;
    if (customer.externalId !== body.user.id) {
      if (channel) await api.ephemeral(channel, body.user.id, `These buttons are for <@${customer.externalId}>. Mention me to ask your own question.`, threadTs);
      return;
    }
    if (!(await dedupe.interaction(messageTs, pressed.action_ts, body.user.id))) return;
    // The buttons turn into the answer at once, so nobody presses twice.
    if (channel && messageTs) {
      await api.update(channel, messageTs, body.message?.text ?? value.l, renderAnswered(body.message?.blocks, value.l));
    }
    log.debug({ conversationId: conversation.id, action: value.a.kind }, 'Slack button from a member');
    await service.customerAction(conversation, value.a, value.l, `slack:action:${messageTs ?? ''}:${pressed.action_ts ?? ''}`);
  }
}
