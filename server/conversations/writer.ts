import type { RealtimeBus } from '../realtime/bus';
import type { Author, ChatMessage, MessageContent } from '../domain/transcript';
import type { AppendResult, Conversation, NewOutboxItem, Store } from '../store/types';

/** A message about to be stored, as a channel's outbound sees it. */
export interface MessageDraft {
  author: Author;
  authorId?: string | null;
  authorName?: string | null;
  content: MessageContent;
  clientId?: string | null;
  /** The customer is away from the widget but reachable by email: this message follows them there. */
  emailFollowUp?: boolean;
}

/**
 * What a platform channel (Slack, Teams, email) says about leaving: which stored messages must
 * be delivered through it. Pure (no I/O): it is asked inside the append that writes the
 * outbox row, so the message and its delivery commit together or not at all.
 */
export interface ChannelOutbound {
  carries(conversation: Conversation, draft: MessageDraft): boolean;
  /** How long the row waits before it is due (email batches replies written close together). */
  delayMs?(conversation: Conversation, draft: MessageDraft): number;
}

export interface WriterDeps {
  store: Store;
  bus: RealtimeBus;
  /** Tells the local delivery worker there is something to send now (it also polls). */
  nudge(): void;
}

/** The one way a message enters a transcript: stored, its outbox rows with it, then announced. */
export class TranscriptWriter {
  private readonly outbound = new Map<string, ChannelOutbound>();
  /** Deliverers that also carry other channels' conversations (email follows a widget visitor who left). */
  private readonly followers = new Map<string, { deliverer: string; outbound: ChannelOutbound }[]>();

  constructor(private readonly deps: WriterDeps) {}

  /** `alsoFor`: conversation channels whose messages this deliverer may carry too. */
  register(channel: string, outbound: ChannelOutbound, alsoFor: string[] = []): void {
    this.outbound.set(channel, outbound);
    for (const other of alsoFor) this.followers.set(other, [...(this.followers.get(other) ?? []), { deliverer: channel, outbound }]);
  }

  private outboxFor(conversation: Conversation, draft: MessageDraft): NewOutboxItem[] {
    const own = this.outbound.get(conversation.channel);
    const candidates = [...(own ? [{ deliverer: conversation.channel, outbound: own }] : []), ...(this.followers.get(conversation.channel) ?? [])];
    return candidates
      .filter((c) => c.outbound.carries(conversation, draft))
      .map((c) => {
        const delayMs = c.outbound.delayMs?.(conversation, draft) ?? 0;
        return { channel: c.deliverer, payload: { type: 'message' }, ...(delayMs > 0 ? { delayMs } : {}) };
      });
  }

  /** The bot's turn: state, replies and record-only events in one write. */
  async appendTurn(conversation: Conversation, botState: unknown, replies: MessageContent[], events: { type: string; data: Record<string, unknown> }[]): Promise<ChatMessage[]> {
    const messages = replies.map((content) => ({ author: 'bot' as const, content, outbox: this.outboxFor(conversation, { author: 'bot', content }) }));
    const stored = await this.deps.store.conversations.appendTurn({ conversationId: conversation.id, channel: conversation.channel, botState, messages, events });
    for (const message of stored) this.deps.bus.publish({ type: 'message', conversationId: conversation.id, seq: message.seq });
    if (messages.some((m) => m.outbox.length > 0)) this.deps.nudge();
    return stored;
  }

  async append(conversation: Conversation, draft: MessageDraft): Promise<AppendResult> {
    const outbox = this.outboxFor(conversation, draft);
    const result = await this.deps.store.conversations.append(
      {
        conversationId: conversation.id,
        author: draft.author,
        authorId: draft.authorId ?? null,
        authorName: draft.authorName ?? null,
        content: draft.content,
        clientId: draft.clientId ?? null,
      },
      outbox,
    );
    if (!result.duplicate) {
      this.deps.bus.publish({ type: 'message', conversationId: conversation.id, seq: result.message.seq });
      if (outbox.length > 0) this.deps.nudge();
    }
    return result;
  }

  /** A notice that is not part of any transcript (a refusal, a welcome), through the same outbox. */
  async notice(channel: string, payload: Record<string, unknown>, conversationId: string | null = null): Promise<void> {
    if (!this.outbound.has(channel)) return;
    await this.deps.store.outbox.enqueue({ channel, payload, conversationId });
    this.deps.nudge();
  }
}

