import { forbidden } from '../domain/errors';
import type { Inbound, InboundBody } from '../domain/inbound';
import { acceptedInAnyState } from '../domain/transcript';
import type { Conversation, Customer, Store } from '../store/types';

export type Scoped =
  | { kind: 'conversation'; conversation: Conversation; opened: boolean }
  | { kind: 'ignored'; reason: 'unknown_thread' | 'unknown_sender' }
  | { kind: 'refused'; error: ReturnType<typeof forbidden>; ownerId: string };

/**
 * Which conversation an inbound message belongs to — the scoping rules, once for every channel:
 * 1. A button answers the conversation it was shown in, and only that conversation's customer
 *    may press it.
 * 2. Surveys and contact details answer their conversation in any state, even once resolved.
 * 3. Anything else goes to the newest conversation of the customer's thread (an indexed
 *    lookup) — and a resolved one starts afresh (race-free: one new conversation, however
 *    many messages arrive at once).
 * 4. Without a conversation in the thread, only a message that may start one opens it.
 */
export async function scope(
  store: Store,
  customer: Pick<Customer, 'id'> | undefined,
  inbound: Inbound,
  body: InboundBody,
  /** The thread's newest conversation when the caller has read it already. */
  thread?: { conversation: Conversation | undefined },
): Promise<Scoped> {
  if (body.type === 'action' && body.conversationId) {
    const target = await store.conversations.get(body.conversationId);
    if (!target || target.channel !== inbound.channel) return { kind: 'ignored', reason: 'unknown_thread' };
    // A presser we have never seen (no customer) can only be pressing someone else's buttons.
    if (target.customerId !== customer?.id) {
      return { kind: 'refused', error: forbidden('these buttons belong to another conversation', 'not_allowed'), ownerId: target.customerId };
    }
    if (acceptedInAnyState(body.action) || target.state !== 'resolved') return { kind: 'conversation', conversation: target, opened: false };
  }
  if (!customer) return { kind: 'ignored', reason: 'unknown_sender' };
  const current = thread ? thread.conversation : await store.conversations.inThread(customer.id, inbound.threadKey);
  const answersCurrent = body.type === 'action' && acceptedInAnyState(body.action);
  if (current && (current.state !== 'resolved' || answersCurrent)) return { kind: 'conversation', conversation: await withRef(store, current, inbound), opened: false };
  if (!current && !inbound.mayStart) return { kind: 'ignored', reason: 'unknown_thread' };
  const { conversation, created } = await store.conversations.openInThread(
    { customerId: customer.id, channel: inbound.channel, threadKey: inbound.threadKey, ...(inbound.channelRef !== undefined ? { channelRef: inbound.channelRef } : {}) },
    current,
  );
  return { kind: 'conversation', conversation, opened: created };
}

/** Keeps the stored platform reference current (Teams may move a chat to another service URL). */
async function withRef(store: Store, conversation: Conversation, inbound: Inbound): Promise<Conversation> {
  if (inbound.channelRef === undefined || typeof inbound.channelRef !== 'object' || inbound.channelRef === null) return conversation;
  const stored = (conversation.channelRef ?? {}) as Record<string, unknown>;
  const merged = { ...stored, ...(inbound.channelRef as Record<string, unknown>) };
  if (JSON.stringify(merged) === JSON.stringify(stored)) return conversation;
  return store.conversations.update(conversation.id, { channelRef: merged });
}
