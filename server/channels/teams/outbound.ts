import { type Activity, CardFactory, type CloudAdapter } from 'botbuilder';
import type { Logger } from 'pino';
import type { ChannelOutbound, MessageDraft } from '../../conversations';
import { visibleToCustomer } from '../../domain/transcript';
import { DeliveryError, retryableStatus } from '../../outbox/delivery-error';
import type { Deliverer } from '../../outbox/worker';
import type { Conversation, OutboxItem, Store } from '../../store/types';
import { isRefusal, refusalText } from '../refusals';
import { renderForMember, type RenderOptions, type TeamsMessage } from './render';
import { type TeamsRef, teamsRef } from './references';

const WELCOME = "Hi! I'm the support bot. Ask me a question in your own words and I'll find the answer; say \"talk to a person\" any time to reach the team.";
/** A connector that does not answer within this is treated as down for this attempt. */
const SEND_TIMEOUT_MS = 15_000;

/** A rendered message as the Bot Framework activity that carries it. */
export function toActivity(message: TeamsMessage): Partial<Activity> {
  if (message.kind === 'text') return { type: 'message', text: message.text, textFormat: 'plain' };
  return { type: 'message', summary: message.summary, attachments: [CardFactory.adaptiveCard(message.card)] };
}

/** A connector failure as the outbox needs it. */
export function deliveryErrorOf(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { statusCode?: number; response?: { headers?: { get?(name: string): string | undefined } }; code?: string; message?: string };
  if (typeof e?.statusCode === 'number') {
    const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
    return new DeliveryError(`HTTP ${e.statusCode}`, retryableStatus(e.statusCode), Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined, { cause: err });
  }
  return new DeliveryError(e?.code ?? e?.message ?? 'request failed', true, undefined, { cause: err });
}

/**
 * Stored messages → Teams, through the outbox. Everything the service says in a Teams
 * conversation (bot answers, console replies, system events, the CES card after a resolve) is
 * sent proactively from the stored conversation reference: the same path whether the member
 * is mid-turn or wrote hours ago.
 */
export class TeamsOutbound implements ChannelOutbound, Deliverer {
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

  carries(_conversation: Conversation, draft: MessageDraft): boolean {
    return draft.author !== 'customer' && visibleToCustomer(draft);
  }

  async deliver(item: OutboxItem): Promise<void> {
    const { payload } = item;
    if (isRefusal(payload)) {
      // Teams has no message only one member sees: a "not your buttons" line in a shared chat
      // would be noise for everyone, so that press is only ignored.
      if (payload.code === 'not_allowed') return;
      return this.send(payload.to as TeamsRef, { kind: 'text', text: refusalText(payload.code, { limitBytes: payload.limitBytes }) });
    }
    if (payload.type === 'welcome') return this.send(payload.to as TeamsRef, { kind: 'text', text: WELCOME });
    if (payload.type === 'message' && item.messageId && item.conversationId) {
      const { store } = this.deps;
      const conversation = await store.conversations.get(item.conversationId);
      const message = await store.conversations.message(item.messageId);
      if (!conversation || !message) throw new DeliveryError('message or conversation no longer stored', false);
      const rendered = renderForMember(message, { conversationId: conversation.id, articleUrl: this.deps.articleUrl });
      if (!rendered) return;
      const ref = teamsRef(conversation);
      if (!ref) throw new DeliveryError('Teams conversation without a conversation reference', false);
      return this.send(ref, rendered);
    }
    throw new DeliveryError(`unknown Teams outbox payload ${String(payload.type)}`, false);
  }

  private async send(ref: TeamsRef | undefined, rendered: TeamsMessage): Promise<void> {
    if (!ref || typeof ref.serviceUrl !== 'string') throw new DeliveryError('no Teams conversation reference', false);
    const { adapter, appId } = this.deps;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeliveryError('timeout', true)), SEND_TIMEOUT_MS);
    });
    try {
      await Promise.race([adapter.continueConversationAsync(appId, ref, async (context) => void (await context.sendActivity(toActivity(rendered)))), timeout]);
    } catch (err) {
      throw deliveryErrorOf(err);
    } finally {
      clearTimeout(timer);
    }
  }
}
