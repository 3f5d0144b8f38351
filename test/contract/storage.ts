import type { ChatMessage } from '../../server/channels/web/protocol';
import type { Conversation, Customer, Store, Ticket } from '../../server/store/types';

/**
 * The ONLY place the contract suites read storage directly. Written against today's Store;
 * when the channel-contract refactor lands, swap each call for its area equivalent:
 *
 *   today                                          after the refactor
 *   store.customers.get(id)                          store.customers.get(id)
 *   store.customers.findByExternalId(channel, ext)   store.customers.findByExternalId(channel, ext)
 *   store.conversations.get(id)                      store.conversations.get(id)
 *   store.conversations.latest(customerId)           store.conversations.latest(customerId)
 *   store.conversations.listOfCustomer(id, limit)   store.conversations.listOfCustomer(id, limit)
 *   store.conversations.listMessages(conversationId, after, n)   store.conversations.listMessages(conversationId, after, n)
 *   store.tickets.get(id)                            store.tickets.get(id)
 *   store.tickets.byConversation(conversationId)  store.tickets.byConversation(conversationId)
 *   store.tickets.list(filter)                      store.tickets.list(filter)
 *   store.agents.create(input)                       store.agents.create(input)
 *   (does not exist)                               store.outbox.pending()
 *
 * Everything here takes a Store, so the in-process suite (desk.store) and the multi-process
 * delivery test (a store opened on the instances' database) share it.
 */

/** How a test names a customer: widget visitors by id, platform members by their platform id. */
export type CustomerKey = { channel: 'web'; customerId: string } | { channel: 'slack' | 'msteams'; externalId: string };

/** A stored customer message (text typed, or a button pressed). */
export interface StoredInput {
  conversationId: string;
  seq: number;
  kind: 'text' | 'action';
  /** The text typed, or the label of the button. */
  text: string;
}

const LIMIT = 1000;

export async function customerOf(store: Store, key: CustomerKey): Promise<Customer | undefined> {
  return key.channel === 'web' ? store.customers.get(key.customerId) : store.customers.findByExternalId(key.channel, key.externalId);
}

/** The customer's conversations, oldest first (none when the customer was never stored). */
export async function conversationsOf(store: Store, key: CustomerKey): Promise<Conversation[]> {
  const customer = await customerOf(store, key);
  if (!customer) return [];
  const list = await store.conversations.listOfCustomer(customer.id, LIMIT);
  return [...list].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

export async function getConversation(store: Store, conversationId: string): Promise<Conversation | undefined> {
  return store.conversations.get(conversationId);
}

/** Every stored message of a conversation, in seq order. */
export async function transcript(store: Store, conversationId: string): Promise<ChatMessage[]> {
  return store.conversations.listMessages(conversationId, 0, 10_000);
}

/** Every message the customer sent that was stored, across all their conversations. */
export async function storedInputs(store: Store, key: CustomerKey): Promise<StoredInput[]> {
  const inputs: StoredInput[] = [];
  for (const conversation of await conversationsOf(store, key)) {
    for (const m of await transcript(store, conversation.id)) {
      if (m.author !== 'customer') continue;
      if (m.content.type === 'text') inputs.push({ conversationId: conversation.id, seq: m.seq, kind: 'text', text: m.content.text });
      else if (m.content.type === 'action') inputs.push({ conversationId: conversation.id, seq: m.seq, kind: 'action', text: m.content.label });
    }
  }
  return inputs;
}

/** How many customer messages are stored for this customer (texts and presses), or only texts equal to `text`. */
export async function countMessages(store: Store, key: CustomerKey, text?: string): Promise<number> {
  const inputs = await storedInputs(store, key);
  return text === undefined ? inputs.length : inputs.filter((i) => i.kind === 'text' && i.text === text).length;
}

/** The conversations holding a stored customer text equal to `text` (one id per stored copy). */
export async function conversationIdsOfText(store: Store, key: CustomerKey, text: string): Promise<string[]> {
  return (await storedInputs(store, key)).filter((i) => i.kind === 'text' && i.text === text).map((i) => i.conversationId);
}

export async function ticketOf(store: Store, conversationId: string): Promise<Ticket | undefined> {
  return store.tickets.byConversation(conversationId);
}

/**
 * Customer texts in conversations the bot owns that no bot message follows: questions the
 * bot never answered in storage.
 */
export async function unansweredTexts(store: Store, key: CustomerKey): Promise<StoredInput[]> {
  const unanswered: StoredInput[] = [];
  for (const conversation of await conversationsOf(store, key)) {
    const messages = await transcript(store, conversation.id);
    messages.forEach((m, i) => {
      if (m.author !== 'customer' || m.content.type !== 'text') return;
      const answered = messages.slice(i + 1).some((n) => n.author === 'bot');
      if (!answered) unanswered.push({ conversationId: conversation.id, seq: m.seq, kind: 'text', text: m.content.text });
    });
  }
  return unanswered;
}

/**
 * Outbox rows not yet delivered (or finally failed), or undefined while the store has no
 * outbox (today's code).
 */
export async function pendingOutbox(store: Store): Promise<number | undefined> {
  return store.outbox.pending();
}
