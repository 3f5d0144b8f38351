import type { Reach, RealtimeBus } from '../realtime/bus';
import type { Author, ChatMessage, MessageContent } from '../domain/transcript';
import type { BotTurnResult, BotTurnWrite, TurnIfCurrent } from '../store/conversations';
import type { RateHit } from '../store/thread-intake';
import type { AppendResult, Conversation, NewOutboxItem, Store } from '../store/types';
import type { DomainEvent, DomainEvents } from '../webhooks/emitter';

/** What the bot decided in one turn, before it is stored. */
export interface TurnDraft {
  state: unknown;
  replies: MessageContent[];
  /** Events that only record what the bot did, written with the turn. */
  records: { type: string; data: Record<string, unknown> }[];
}

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
  /** Webhook events ride in the same write as the message that causes them. */
  events?: DomainEvents;
}

/** Messages the outside world hears of as `message.created` (not internal notes or system lines). */
const announced = (draft: Pick<MessageDraft, 'author' | 'content'>) => draft.author !== 'system' && draft.content.type !== 'note' && draft.content.type !== 'event';

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

  private async eventRows(draft: Pick<MessageDraft, 'author' | 'content'>, emit: DomainEvent[] = []): Promise<NewOutboxItem[]> {
    const events = this.deps.events;
    if (!events) return [];
    return [...(await events.rows(emit)), ...(announced(draft) ? await events.messageCreated() : [])];
  }

  /**
   * The bot's turn — state, replies and record-only events — in one write, with the question
   * it answers when given (stored first; a resent question comes back as the duplicate and
   * nothing is written). `emit`: domain events the question records (a conversation created).
   * Not announced here: the caller announces once it has acknowledged.
   */
  async appendTurn(conversation: Conversation, turn: TurnDraft, question?: { content: MessageContent; clientId: string | null }, emit: DomainEvent[] = []): Promise<BotTurnResult> {
    const write = await this.turnWrite(conversation, turn, question, emit);
    const result = await this.deps.store.conversations.appendTurn(write);
    if (!result.duplicate) this.nudgeFor(write);
    return result;
  }

  /**
   * `appendTurn` for a follow-up planned on the conversation as this instance last saw it,
   * with the sender's rate-limit hit: written only within `rate.limit` and if nothing changed
   * the conversation since (`ConversationStore.appendTurnIfCurrent`).
   */
  async appendTurnIfCurrent(conversation: Conversation, rate: RateHit & { limit: number }, turn: TurnDraft, question: { content: MessageContent; clientId: string | null }): Promise<TurnIfCurrent | undefined> {
    const write = await this.turnWrite(conversation, turn, question, []);
    const result = await this.deps.store.conversations.appendTurnIfCurrent(conversation, rate, write);
    if (result?.messages) this.nudgeFor(write);
    return result;
  }

  private async turnWrite(conversation: Conversation, turn: TurnDraft, question: { content: MessageContent; clientId: string | null } | undefined, emit: DomainEvent[]): Promise<BotTurnWrite> {
    const messages = await Promise.all(
      turn.replies.map(async (content) => ({ author: 'bot' as const, content, outbox: [...this.outboxFor(conversation, { author: 'bot', content }), ...(await this.eventRows({ author: 'bot', content }))] })),
    );
    const asked = question && {
      ...question,
      outbox: [...this.outboxFor(conversation, { author: 'customer', ...question }), ...(await this.eventRows({ author: 'customer', content: question.content }, emit))],
    };
    return { conversationId: conversation.id, channel: conversation.channel, botState: turn.state, ...(asked ? { question: asked } : {}), messages, events: turn.records };
  }

  /** The delivery worker hears at once of a turn that queued something. */
  private nudgeFor(write: BotTurnWrite): void {
    if (write.messages.some((m) => m.outbox.length > 0) || (write.question?.outbox.length ?? 0) > 0) this.deps.nudge();
  }

  /**
   * Tell subscribers about newly stored messages: one event for the lot, carrying the rows so
   * this instance's sockets need not read them back.
   */
  announce(conversationId: string, messages: ChatMessage[], reach: Reach = 'everywhere'): void {
    const last = messages.at(-1);
    if (last) this.deps.bus.publish({ type: 'message', conversationId, seq: last.seq, messages }, reach);
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
      this.announce(conversation.id, [result.message]);
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

