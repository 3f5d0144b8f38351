import type { Conversation, Store } from '../../store/types';

/** Bounded, so a long-running instance does not keep every conversation it ever saw. */
const OWNER_CACHE_MAX = 10_000;

/**
 * Whose conversation is it: the widget's fan-out needs the customer of a conversation event,
 * and a conversation never changes owner, so one read per conversation is enough.
 */
export class ConversationOwners {
  private readonly owners = new Map<string, string>();

  constructor(private readonly store: Store) {}

  async of(conversationId: string, named?: string): Promise<string | undefined> {
    if (named) return named;
    const known = this.owners.get(conversationId);
    if (known) return known;
    const conversation = await this.store.conversations.get(conversationId);
    if (!conversation) return undefined;
    if (this.owners.size >= OWNER_CACHE_MAX) this.owners.clear();
    this.owners.set(conversationId, conversation.customerId);
    return conversation.customerId;
  }

  /**
   * The conversation a "Continue in chat" link names, when it is this customer's widget
   * conversation: the link opens that exact conversation even when a newer one exists. Anything
   * else (another customer's id, an email conversation, a made-up id) is undefined.
   */
  async pinned(customerId: string, pin: string | undefined): Promise<Conversation | undefined> {
    if (!pin) return undefined;
    const conversation = await this.store.conversations.get(pin);
    return conversation && conversation.customerId === customerId && conversation.channel === 'web' ? conversation : undefined;
  }
}
