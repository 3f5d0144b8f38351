import { type Activity, CardFactory, type CloudAdapter } from 'botbuilder';
import type { Logger } from 'pino';
import type { OutboundChannel } from '../../conversations';
import type { ChatMessage } from '../../realtime/protocol';
import type { Conversation, Store } from '../../store/types';
import { renderForMember, type RenderOptions, type TeamsMessage } from './cards';
import { teamsRef } from './references';

/** A rendered message as the Bot Framework activity that carries it. */
export function toActivity(message: TeamsMessage): Partial<Activity> {
  if (message.kind === 'text') return { type: 'message', text: message.text, textFormat: 'plain' };
  return { type: 'message', summary: message.summary, attachments: [CardFactory.adaptiveCard(message.card)] };
}

/**
 * Everything the service says in a Teams conversation (bot answers, console replies, system
 * events, the CES card after a resolve) is sent proactively from the stored conversation
 * reference: the same path whether the member is mid-turn or wrote hours ago.
 */
export class TeamsOutbound implements OutboundChannel {
  constructor(
    private readonly deps: {
      adapter: CloudAdapter;
      /** The bot's Microsoft App ID ('' in development mode, where outbound calls carry no token). */
      appId: string;
      store: Store;
      log: Logger;
      articleUrl: RenderOptions['articleUrl'];
    },
  ) {}

  async deliver(conversation: Conversation, message: ChatMessage): Promise<void> {
    const { adapter, appId, store, log } = this.deps;
    const rendered = renderForMember(message, { conversationId: conversation.id, articleUrl: this.deps.articleUrl });
    if (!rendered) return;
    // The member's latest activity refreshed the reference; the caller's copy may predate it.
    const fresh = (await store.getConversation(conversation.id)) ?? conversation;
    const ref = teamsRef(fresh);
    if (!ref) {
      log.warn({ conversationId: conversation.id }, 'Teams conversation without a conversation reference; message not delivered');
      return;
    }
    await adapter.continueConversationAsync(appId, ref, async (context) => {
      await context.sendActivity(toActivity(rendered));
    });
  }
}
