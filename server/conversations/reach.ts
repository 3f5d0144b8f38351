import type { Conversation, Store } from '../store/types';

/**
 * How an agent's next message will reach the customer, decided in one place for the console's
 * hint and for the reply itself:
 * - `channel`: Slack, Teams or email deliver it (the customer is on that platform);
 * - `live`: a widget socket of theirs is open on some instance right now;
 * - `email`: they left the widget but we know their email (and email is set up);
 * - `later`: no way to reach them: they see it when they come back.
 */
export type Reach = { kind: 'channel'; channel: string } | { kind: 'live' } | { kind: 'email'; email: string } | { kind: 'later' };

export async function reachOf(store: Store, emailEnabled: boolean, conversation: Conversation): Promise<Reach> {
  if (conversation.channel !== 'web') return { kind: 'channel', channel: conversation.channel };
  if (await store.email.presence.online(conversation.customerId)) return { kind: 'live' };
  if (!emailEnabled) return { kind: 'later' };
  const email = conversation.email ?? (await store.customers.get(conversation.customerId))?.email ?? null;
  return email ? { kind: 'email', email } : { kind: 'later' };
}
