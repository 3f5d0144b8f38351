import type { Logger } from 'pino';
import type { ChannelOutbound, MessageDraft } from '../../conversations';
import { visibleToCustomer } from '../../domain/transcript';
import { DeliveryError } from '../../outbox/delivery-error';
import type { Deliverer } from '../../outbox/worker';
import type { Conversation, OutboxItem, Store } from '../../store/types';
import { isRefusal, refusalText } from '../refusals';
import type { AgentsChannel } from './agents-channel';
import type { SlackApi } from './api';
import { type Block, escapeMrkdwn, renderForMember, type RenderOptions } from './render';
import { slackRef } from './refs';

export interface SlackOutboundDeps {
  store: Store;
  api: SlackApi;
  agents: AgentsChannel;
  log: Logger;
  articleUrl: RenderOptions['articleUrl'];
}

/**
 * Stored messages → Slack, through the outbox. Everything the service says in a Slack
 * conversation (bot replies, agent replies, system events) goes into the member's thread;
 * escalation and hand-over events also drive the agents' channel notice, and the member's
 * own messages are mirrored into that notice's thread while people are on it.
 */
export class SlackOutbound implements ChannelOutbound, Deliverer {
  constructor(private readonly deps: SlackOutboundDeps) {}

  carries(conversation: Conversation, draft: MessageDraft): boolean {
    if (draft.author !== 'customer') return visibleToCustomer(draft);
    return draft.content.type === 'text' && conversation.state !== 'bot' && this.deps.agents.channel !== undefined;
  }

  async deliver(item: OutboxItem): Promise<void> {
    const { payload } = item;
    if (isRefusal(payload)) return this.refusal(payload);
    if (payload.type === 'buttons_answered') {
      const { channel, ts, text, blocks } = payload as { channel: string; ts: string; text: string; blocks: Block[] };
      return this.deps.api.sendUpdate(channel, ts, text, blocks);
    }
    if (payload.type === 'message' && item.messageId && item.conversationId) return this.message(item.conversationId, item.messageId);
    throw new DeliveryError(`unknown Slack outbox payload ${String(payload.type)}`, false);
  }

  private async refusal(payload: { code: string; to: unknown; owner: string | null; limitBytes: number }): Promise<void> {
    const to = payload.to as { channel?: string; user?: string; threadTs?: string };
    if (!to.channel || !to.user) throw new DeliveryError('refusal without a Slack target', false);
    const text =
      payload.code === 'not_allowed' && payload.owner
        ? `These buttons are for <@${payload.owner}>. Mention me to ask your own question.`
        : refusalText(payload.code, { limitBytes: payload.limitBytes });
    await this.deps.api.sendEphemeral(to.channel, to.user, text, to.threadTs);
  }

  private async message(conversationId: string, messageId: string): Promise<void> {
    const { store, api, agents, log } = this.deps;
    const conversation = await store.conversations.get(conversationId);
    const message = await store.conversations.message(messageId);
    if (!conversation || !message) throw new DeliveryError('message or conversation no longer stored', false);
    const ref = slackRef(conversation);
    if (!ref) throw new DeliveryError('Slack conversation without a thread reference', false);
    const { content } = message;
    if (message.author === 'customer') {
      if (content.type === 'text') await agents.toThread(ref, `*<@${ref.user}>*: ${escapeMrkdwn(content.text)}`);
      return;
    }
    const rendered = renderForMember(message, { conversationId, articleUrl: this.deps.articleUrl });
    if (rendered) await api.sendPost({ channel: ref.channel, threadTs: ref.threadTs, text: rendered.text, blocks: rendered.blocks });
    // The agents' side is a courtesy copy: its failures are logged, never a reason to post the
    // member's message twice.
    try {
      if (content.type === 'event') await agents.onEvent(conversation, content);
      else if (message.author === 'agent' && content.type === 'text' && !message.clientId?.startsWith('slack:')) {
        // Answered from the console: the agents' thread shows it too, so it reads as one conversation.
        await agents.toThread(ref, `*${escapeMrkdwn(message.authorName ?? 'Agent')}* (console): ${escapeMrkdwn(content.text)}`);
      } else if (message.author === 'agent' && content.type === 'article') {
        await agents.toThread(ref, `*${escapeMrkdwn(message.authorName ?? 'Agent')}* (console) shared an article: <${this.deps.articleUrl(content.articleId)}|${escapeMrkdwn(content.title)}>`);
      }
    } catch (err) {
      log.warn({ err, conversationId }, "Slack agents' channel update failed");
    }
  }
}
