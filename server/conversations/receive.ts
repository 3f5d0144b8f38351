import type { Logger } from 'pino';
import type { Config } from '../config';
import { type DomainError, rateLimited, tooLarge } from '../domain/errors';
import { normaliseInput } from '../domain/input';
import type { Inbound, InboundBody, InboundResult, StoredHook } from '../domain/inbound';
import { byteLength, cleanText } from '../domain/text';
import type { RealtimeBus } from '../realtime/bus';
import type { Customer, Store } from '../store/types';
import type { BotTurns } from './bot-turn';
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

/**
 * The one entry for customer input from every channel. In order: normalise and size-check
 * the text, find (or race-free create) the customer, rate-limit per customer and channel,
 * scope to a conversation, store idempotently (the platform id is the key, so a redelivered
 * event is stored and answered once), then let the bot answer while it owns the conversation.
 */
export class InboundEntry {
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
    // The rate-limit hit and the thread's newest conversation come back together (one round trip on PostgreSQL).
    const thread = customer ? await store.conversations.inThreadCounting(customer.id, inbound.threadKey, { key: `rate:${inbound.channel}:${customer.id}`, windowMs: RATE_WINDOW_MS }) : undefined;
    if (thread && thread.hits > config.rateLimits.visitorPerMinute) {
      return this.refuse(inbound, rateLimited('You are sending messages too quickly. Please wait a moment.'));
    }

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
    const message = result.messages[0]!;
    try {
      await onStored?.(message, ref, false);
    } finally {
      this.deps.writer.announce(conversation.id, result.messages);
      announceOpened();
    }
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
