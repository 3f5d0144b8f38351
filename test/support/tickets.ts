import type { Store, Ticket } from '../../server/store/types';

export interface SeedTicket {
  name: string;
  email: string;
  subject: string;
  /** The customer's messages before the ticket opens. */
  texts: string[];
  threadKey?: string;
  /** `append` (a person-led message) or `bot` (a bot turn: question and answer in one write). */
  via?: 'append' | 'bot';
}

/** A web customer, a conversation with their messages, then its ticket (straight through the store). */
export async function seedTicket(store: Store, seed: SeedTicket): Promise<Ticket> {
  const customer = await store.customers.save({ channel: 'web', name: seed.name, email: seed.email });
  const { conversation } = await store.conversations.openInThread({ customerId: customer.id, channel: 'web', threadKey: seed.threadKey ?? 'web' });
  for (const text of seed.texts) {
    if (seed.via === 'bot') {
      await store.conversations.appendTurn({ conversationId: conversation.id, channel: 'web', botState: {}, question: { content: { type: 'text', text }, clientId: null, outbox: [] }, messages: [{ author: 'bot', content: { type: 'text', text: 'Here is what I found' }, outbox: [] }], events: [] });
    } else {
      await store.conversations.append({ conversationId: conversation.id, author: 'customer', content: { type: 'text', text } });
    }
  }
  return store.tickets.create({
    conversationId: conversation.id,
    customerId: customer.id,
    channel: 'web',
    priority: 'normal',
    subject: seed.subject,
    reason: 'customer_asked',
    tags: [],
    attempts: [],
    firstResponseDueAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
}
