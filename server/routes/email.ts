import { Router } from 'express';
import type { RequireAgent } from '../auth/agent-auth';
import type { ConversationService, Reach } from '../conversations';
import { notFound } from '../domain/errors';
import type { Store } from '../store/types';

const PLATFORM: Record<string, string> = { slack: 'Slack', msteams: 'Teams' };

/** What the console tells an agent above the reply box, in words. */
export function reachText(reach: Reach, customerEmail?: string | null): string {
  switch (reach.kind) {
    case 'live':
      return 'The customer is in the chat now: they see this reply.';
    case 'email':
      return `The customer is offline: this reply will be emailed to ${reach.email}.`;
    case 'later':
      return 'The customer is offline and left no email: they will see this reply when they return to the chat.';
    case 'channel':
      return reach.channel === 'email' ? `This reply is emailed to ${customerEmail ?? 'the customer'}.` : `The customer sees this reply in ${PLATFORM[reach.channel] ?? reach.channel}.`;
  }
}

/** Console API for email: how a reply will reach the customer, and the original of an email message. */
export function emailRoutes(deps: { store: Store; service: ConversationService; requireAgent: RequireAgent }): Router {
  const { store, service, requireAgent } = deps;
  const router = Router();

  router.get('/tickets/:id/reach', requireAgent(), async (req, res) => {
    const ticket = await store.tickets.get(String(req.params.id));
    const conversation = ticket && (await store.conversations.get(ticket.conversationId));
    if (!ticket || !conversation) throw notFound('ticket', String(req.params.id));
    const reach = await service.reach(conversation);
    const customer = await store.customers.get(conversation.customerId);
    res.json({ reach, text: reachText(reach, customer?.externalId ?? customer?.email) });
  });

  /** The email a transcript message came from, as received: text, sanitised HTML, attachment notes. */
  router.get('/email/original/:messageId', requireAgent(), async (req, res) => {
    const email = await store.email.byChatMessage(String(req.params.messageId));
    if (!email) throw notFound('email for message', String(req.params.messageId));
    res.json({ email: { ...email, to: email.to.slice(0, 20), recipients: email.to.length } });
  });

  return router;
}
