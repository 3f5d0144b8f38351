import type { RealtimeBus } from '../realtime/bus';
import type { Author, ChatMessage, MessageContent } from '../domain/transcript';
import type { AppendResult, Conversation, NewOutboxItem, Store } from '../store/types';
import type { DomainEvent, DomainEvents } from '../webhooks/emitter';

/** A message about to be stored, as a channel's outbound sees it. */
export interface MessageDraft {
  author: Author;
  authorId?: string | null;
  authorName?: string | null;
  content: MessageContent;
  clientId?: string | null;
}

/**
 * What a platform channel (Slack, Teams, email) says about leaving: which stored messages must
 * be delivered through it. Pure (no I/O): it is asked inside the append that writes the
 * outbox row, so the message and its delivery commit together or not at all.
 */
export interface ChannelOutbound {
  carries(conversation: Conversation, draft: MessageDraft): boolean;
}

export interface WriterDeps {
  store: Store;
  bus: RealtimeBus;
  /** Tells the local delivery worker there is something to send now (it also polls). */
  nudge(): void;
  /** Webhook events ride in the same write as the message that causes them. */
  events?: DomainEvents;
}

/** Messages the outside world hears of as `message.created` (not internal notes or system lines). */
const announced = (draft: Pick<MessageDraft, 'author' | 'content'>) => draft.author !== 'system' && draft.content.type !== 'note' && draft.content.type !== 'event';

/** The one way a message enters a transcript: stored, its outbox rows with it, then announced. */
export class TranscriptWriter {
  private readonly outbound = new Map<string, ChannelOutbound>();

  constructor(private readonly deps: WriterDeps) {}

  register(channel: string, outbound: ChannelOutbound): void {
    this.outbound.set(channel, outbound);
  }

  private outboxFor(conversation: Conversation, draft: MessageDraft): NewOutboxItem[] {
    const outbound = this.outbound.get(conversation.channel);
    return outbound?.carries(conversation, draft) ? [{ channel: conversation.channel, payload: { type: 'message' } }] : [];
  }

  private async eventRows(draft: Pick<MessageDraft, 'author' | 'content'>, emit: DomainEvent[] = []): Promise<NewOutboxItem[]> {
    const events = this.deps.events;
    if (!events) return [];
    return [...(await events.rows(emit)), ...(announced(draft) ? await events.messageCreated() : [])];
  }

  /** The bot's turn: state, replies and record-only events in one write. */
  async appendTurn(conversation: Conversation, botState: unknown, replies: MessageContent[], events: { type: string; data: Record<string, unknown> }[]): Promise<ChatMessage[]> {
    const messages = await Promise.all(
      replies.map(async (content) => ({ author: 'bot' as const, content, outbox: [...this.outboxFor(conversation, { author: 'bot', content }), ...(await this.eventRows({ author: 'bot', content }))] })),
    );
    const stored = await this.deps.store.conversations.appendTurn({ conversationId: conversation.id, channel: conversation.channel, botState, messages, events });
    for (const message of stored) this.deps.bus.publish({ type: 'message', conversationId: conversation.id, seq: message.seq });
    if (messages.some((m) => m.outbox.length > 0)) this.deps.nudge();
    return stored;
  }

  /** `emit`: domain events this message records (a ticket created, assigned …), written with it. */
  async append(conversation: Conversation, draft: MessageDraft, emit: DomainEvent[] = []): Promise<AppendResult> {
    const outbox = [...this.outboxFor(conversation, draft), ...(await this.eventRows(draft, emit))];
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

