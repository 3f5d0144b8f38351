import type { Logger } from 'pino';
import type { OutboundChannel } from '../../conversations';
import type { ChatMessage } from '../../realtime/protocol';
import type { Conversation, Store } from '../../store/types';
import type { AgentsChannel } from './agents-channel';
import type { SlackApi } from './api';
import { escapeMrkdwn, renderForMember, type RenderOptions } from './blocks';
import { slackRef } from './refs';

/**
 * Everything the service says in a Slack conversation (bot replies, agent replies, system
 * events) goes into the member's thread; escalation and hand-over events also drive the
 * agents' channel notice.
 */
export class SlackOutbound implements OutboundChannel {
  constructor(
    private readonly deps: {
      store: Store;
      api: SlackApi;
      agents: AgentsChannel;
      log: Logger;
      articleUrl: RenderOptions['articleUrl'];
    },
  ) {}

  async deliver(conversation: Conversation, message: ChatMessage): Promise<void> {
    const { store, api, agents, log } = this.deps;
    // The notice ts lands in channelRef after escalation; the caller's copy may predate it.
    const fresh = (await store.getConversation(conversation.id)) ?? conversation;
    const ref = slackRef(fresh);
    if (!ref) {
      log.warn({ conversationId: conversation.id }, 'Slack conversation without a thread reference; message not delivered');
      return;
    }
    const rendered = renderForMember(message, { conversationId: conversation.id, articleUrl: this.deps.articleUrl });
    if (rendered) await api.post({ channel: ref.channel, threadTs: ref.threadTs, text: rendered.text, blocks: rendered.blocks });

    const { content } = message;
    if (content.type === 'event') {
      await agents.onEvent(fresh, content);
    } else if (message.author === 'agent' && content.type === 'text' && !message.clientId?.startsWith('slack:')) {
      // Answered from the console: the agents' thread shows it too, so it reads as one conversation.
      await agents.toThread(ref, `*${escapeMrkdwn(message.authorName ?? 'Agent')}* (console): ${escapeMrkdwn(content.text)}`);
    }
  }
}
