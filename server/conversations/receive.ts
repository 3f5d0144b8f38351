import type { Logger } from 'pino';
import type { Config } from '../config';
import { type DomainError, rateLimited, tooLarge } from '../domain/errors';
import { normaliseInput } from '../domain/input';
import type { Inbound, InboundBody, InboundResult, StoredHook } from '../domain/inbound';
import { byteLength, cleanText } from '../domain/text';
import type { RealtimeBus } from '../realtime/bus';
import type { Conversation, Customer, Store } from '../store/types';
import type { ChatMessage } from '../domain/transcript';
import type { RateHit } from '../store/thread-intake';
import type { BotTurns, PlannedTurn } from './bot-turn';
import { type Remembered, RecentThreads } from './recent';
import { scope } from './scoping';
import { presentConversation } from '../api/present';
import type { TranscriptWriter } from './writer';

export interface ReceiveDeps {
  store: Store;
  writer: TranscriptWriter;
  turns: BotTurns;
  bus: RealtimeBus;
  config: Config;
  log: Logger;
}

const RATE_WINDOW_MS = 60_000;
const TOO_FAST = 'You are sending messages too quickly. Please wait a moment.';

/**
 * The one entry for customer input from every channel. In order: normalise and size-check
 * the text, find (or race-free create) the customer, rate-limit per customer and channel,
 * scope to a conversation, store idempotently (the platform id is the key, so a redelivered
 * event is stored and answered once), then let the bot answer while it owns the conversation.
 */
export class InboundEntry {
  private readonly recent = new RecentThreads();

  constructor(private readonly deps: ReceiveDeps) {}

  async receive(inbound: Inbound, onStored?: StoredHook): Promise<InboundResult> {
    const { store, config } = this.deps;
    let body: InboundBody = inbound.body;
    if (body.type === 'text') {
      const text = cleanText(body.text);
      if (text === '') return { kind: 'ignored', reason: 'empty' };
      if (byteLength(text) > config.messageMaxBytes) {
        return this.refuse(inbound, tooLarge(`Messages are limited to ${config.messageMaxBytes} bytes. Please shorten it or split it up.`));
      }
      body = { type: 'text', text };
    } else {
      body = { ...body, label: cleanText(body.label).slice(0, 200) };
    }

    const customer = await this.customerOf(inbound, body);
    // A button may come from someone who never wrote to us (scope refuses it); anything else needs a sender.
    if (!customer && body.type === 'text') return { kind: 'ignored', reason: 'unknown_sender' };
    const rate = customer && { key: `rate:${inbound.channel}:${customer.id}`, windowMs: RATE_WINDOW_MS, limit: config.rateLimits.visitorPerMinute };
    const limited = (hits: number | undefined) => hits !== undefined && hits > config.rateLimits.visitorPerMinute;

    // A follow-up in a thread this instance answered last: intake and turn in one write.
    const known = customer && body.type === 'text' ? this.recent.get(customer.id, inbound.threadKey) : undefined;
    // Counted in the hint as well, so a burst of messages leaves the quick path as it nears the limit.
    if (known) known.hits += 1;
    const quick = known && rate && body.type === 'text' && this.followsUp(known, inbound) ? await this.answerIfCurrent(known, rate, body.text, inbound, onStored) : undefined;
    if (quick?.result) return quick.result;
    if (limited(quick?.hits)) return this.refuse(inbound, rateLimited(TOO_FAST));
    // Otherwise the rate-limit hit (unless counted just now) and the thread's newest conversation (one round trip on PostgreSQL).
    const thread = !customer || !rate ? undefined
      : quick?.hits !== undefined ? { conversation: await store.conversations.inThread(customer.id, inbound.threadKey), hits: quick.hits }
      : await store.conversations.inThreadCounting(customer.id, inbound.threadKey, rate);
    if (limited(thread?.hits)) return this.refuse(inbound, rateLimited(TOO_FAST));

    const scoped = await scope(store, customer, inbound, body, thread);
    if (scoped.kind === 'ignored') return scoped;
    if (scoped.kind === 'refused') return this.refuse(inbound, scoped.error, (await store.customers.get(scoped.ownerId))?.externalId ?? null);
    const { conversation, opened } = scoped;
    // (Its `conversation_started` event was written with it.) Other instances hear of it with the turn.
    const openedEvent = { type: 'conversation' as const, conversationId: conversation.id, customerId: conversation.customerId, opened: true };
    if (opened) this.deps.bus.publish(openedEvent, 'local');

    // One answer per card: the card is the idempotency key of the click, so a second press
    // (or a redelivery) of the same card is a duplicate and changes nothing.
    const clientId = body.type === 'action' && body.cardId ? `card:${body.cardId}` : (inbound.platformId ?? null);
    const content = body.type === 'text' ? { type: 'text' as const, text: body.text } : { type: 'action' as const, action: body.action, label: body.label };
    const input = body.type === 'text' ? { text: body.text } : { action: body.action };
    const ref = { id: conversation.id, opened };
    // A conversation is announced to webhooks with its first message, in the same write.
    const emit = opened ? [{ type: 'conversation.created' as const, data: { conversation: presentConversation(conversation) } }] : [];
    // Other instances hear of a new conversation with its first messages, in one NOTIFY.
    const announceOpened = () => opened && this.deps.bus.publish(openedEvent, 'remote');
    if (!this.deps.turns.answers(conversation, input)) {
      // A person leads: store the message, and agents hear of it.
      const { message, duplicate } = await this.deps.writer.append(conversation, { author: 'customer', content, clientId }, emit);
      announceOpened();
      await onStored?.(message, ref, duplicate);
      if (!duplicate) await this.deps.turns.toAgents(conversation, input);
      return { kind: 'stored', message, conversationId: conversation.id, duplicate };
    }
    // The bot answers: question and answer are written together (one round trip on PostgreSQL),
    // acknowledged, then announced — so a socket that just followed a new conversation misses nothing.
    const turn = await this.deps.turns.plan(conversation, input);
    const result = await this.deps.writer.appendTurn(conversation, turn, { content, clientId }, emit);
    if (result.duplicate) {
      announceOpened();
      await onStored?.(result.duplicate, ref, true);
      return { kind: 'stored', message: result.duplicate, conversationId: conversation.id, duplicate: true };
    }
    return this.answered(conversation, turn, result.messages, thread?.hits ?? 0, ref, onStored, announceOpened);
  }

  /**
   * Only a plain follow-up in a conversation the bot leads: a Teams message may carry a new
   * service URL to store first (`scope`), and anything else needs the full path.
   */
  private followsUp(known: Remembered, inbound: Inbound): boolean {
    // Near the rate limit the hit is checked first, so a flood is refused before the bot works on it.
    return known.hits <= this.deps.config.rateLimits.visitorPerMinute && known.state === 'bot' && (typeof inbound.channelRef !== 'object' || inbound.channelRef === null);
  }

  /**
   * The bot's answer to a follow-up, planned on the conversation as this instance last wrote
   * it and stored only if it still is (with the rate-limit hit, in one statement). `hits`
   * alone: nothing stored (over the limit, a resend, or the conversation moved on); nothing at
   * all: the store declined and nothing was counted.
   */
  private async answerIfCurrent(
    known: Remembered,
    rate: RateHit & { limit: number },
    text: string,
    inbound: Inbound,
    onStored?: StoredHook,
  ): Promise<{ result?: InboundResult; hits?: number }> {
    const turn = await this.deps.turns.plan(known, { text }, { typing: false });
    const written = await this.deps.writer.appendTurnIfCurrent(known, rate, turn, { content: { type: 'text', text }, clientId: inbound.platformId ?? null });
    if (!written?.messages) {
      this.recent.forget(known);
      return written ? { hits: written.hits } : {};
    }
    return { result: await this.answered(known, turn, written.messages, written.hits, { id: known.id, opened: false }, onStored), hits: written.hits };
  }

  /** After the bot's turn is stored: acknowledged, announced, remembered for the next follow-up, then settled. */
  private async answered(
    conversation: Conversation,
    turn: PlannedTurn,
    messages: ChatMessage[],
    hits: number,
    ref: { id: string; opened: boolean },
    onStored?: StoredHook,
    announceOpened?: () => void,
  ): Promise<InboundResult> {
    const message = messages[0]!;
    try {
      await onStored?.(message, ref, false);
    } finally {
      this.deps.writer.announce(conversation.id, messages);
      announceOpened?.();
    }
    // As this instance wrote it — unless settling changes it again at once (a hand-over, a resolution).
    const last = messages.at(-1)!;
    if (!this.deps.turns.leavesAsWritten(turn)) this.recent.forget(conversation);
    else this.recent.remember({ ...conversation, botState: turn.state as Conversation['botState'], lastSeq: last.seq, updatedAt: last.createdAt }, hits);
    await this.deps.turns.settle(conversation, turn);
    return { kind: 'stored', message, conversationId: conversation.id, duplicate: false };
  }

  /**
   * The sender as a customer. Only a message may create one; a button press never does. A
   * customer id (the widget's signed token) is taken as it is: no read needed.
   */
  private async customerOf(inbound: Inbound, body: InboundBody): Promise<Pick<Customer, 'id'> | undefined> {
    const { store } = this.deps;
    const sender = inbound.sender;
    if ('customerId' in sender) return { id: sender.customerId };
    const known = await store.customers.findByExternalId(inbound.channel, sender.externalId);
    if (known || body.type === 'action' || !inbound.mayStart) return known;
    // A profile comes from the platform's API, not the inbound request: normalised here, once for every channel.
    const profile = sender.profile ? normaliseInput(await sender.profile().catch(() => ({}))) : {};
    return store.customers.ensure(inbound.channel, sender.externalId, profile);
  }

  /** A refusal is told in the sender's channel: platforms through the outbox, the widget by its adapter. */
  private async refuse(inbound: Inbound, error: DomainError, ownerExternalId: string | null = null): Promise<InboundResult> {
    const to = inbound.replyTo ?? inbound.channelRef;
    if (to !== undefined) {
      await this.deps.writer.notice(inbound.channel, { type: 'refusal', code: error.code, to, owner: ownerExternalId, limitBytes: this.deps.config.messageMaxBytes });
    }
    this.deps.log.debug({ channel: inbound.channel, code: error.code }, 'inbound message refused');
    return { kind: 'refused', error, ownerExternalId };
  }
}
