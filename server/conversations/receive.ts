import type { Logger } from 'pino';
import type { Config } from '../config';
import { type DomainError, rateLimited, tooLarge } from '../domain/errors';
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
    if (customer) {
      const hits = await store.limits.hit(`rate:${inbound.channel}:${customer.id}`, RATE_WINDOW_MS);
      if (hits > config.rateLimits.visitorPerMinute) {
        return this.refuse(inbound, rateLimited('You are sending messages too quickly. Please wait a moment.'));
      }
    }

    const scoped = await scope(store, customer, inbound, body);
    if (scoped.kind === 'ignored') return scoped;
    if (scoped.kind === 'refused') return this.refuse(inbound, scoped.error, (await store.customers.get(scoped.ownerId))?.externalId ?? null);
    const { conversation, opened } = scoped;
    if (opened) {
      await store.events.log({ type: 'conversation_started', conversationId: conversation.id, channel: conversation.channel });
      this.deps.bus.publish({ type: 'conversation', conversationId: conversation.id });
    }

    // One answer per card: the card is the idempotency key of the click, so a second press
    // (or a redelivery) of the same card is a duplicate and changes nothing.
    const clientId = body.type === 'action' && body.cardId ? `card:${body.cardId}` : (inbound.platformId ?? null);
    const content = body.type === 'text' ? { type: 'text' as const, text: body.text } : { type: 'action' as const, action: body.action, label: body.label };
    // A conversation is announced with its first message, in the same write.
    const emit = opened ? [{ type: 'conversation.created' as const, data: { conversation: presentConversation(conversation) } }] : [];
    const { message, duplicate } = await this.deps.writer.append(conversation, { author: 'customer', content, clientId }, emit);
    await onStored?.(message, { id: conversation.id, opened }, duplicate);
    if (!duplicate) await this.deps.turns.afterCustomer(conversation, body.type === 'text' ? { text: body.text } : { action: body.action });
    return { kind: 'stored', message, conversationId: conversation.id, duplicate };
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
    const profile = sender.profile ? await sender.profile().catch(() => ({})) : {};
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
