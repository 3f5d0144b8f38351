import express, { Router } from 'express';
import { z } from 'zod';
import type { Channel } from '../../bot/types';
import type { RequireAgent } from '../auth/agent-auth';
import type { ConversationService } from '../conversations';
import { invalid, notFound } from '../domain/errors';
import { boundedIntParam } from '../domain/input';
import type { RealtimeBus } from '../realtime/bus';
import type { Agent, Store, Ticket, TicketFilter } from '../store/types';
import { PRIORITIES } from '../store/types';
import { jsonBodyAfterAuth } from '../http/body';
import { ticketsWithNames } from './ticket-names';

const STATUSES = ['open', 'assigned', 'resolved'] as const;
const CHANNELS = ['web', 'slack', 'msteams', 'email'] as const;

const listQuery = z.object({
  status: z.string().optional(),
  channel: z.enum(CHANNELS).optional(),
  assignee: z.string().max(64).optional(),
  priority: z.enum(PRIORITIES as [string, ...string[]]).optional(),
  limit: boundedIntParam(1, 500).optional(),
});
const textBody = (max: number) => z.object({ text: z.string().trim().min(1, 'text is empty').max(max), clientId: z.string().max(64).optional() });
const patchBody = z.object({
  priority: z.enum(PRIORITIES as [string, ...string[]]).optional(),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
});

export interface TicketRouteDeps {
  store: Store;
  service: ConversationService;
  requireAgent: RequireAgent;
  bus: RealtimeBus;
  messageMaxBytes: number;
}

/** The ticket queue API used by the agent console and by scripts (admin token). */
export function ticketRoutes(deps: TicketRouteDeps): Router {
  const { store, service, requireAgent } = deps;
  const router = Router();
  router.use(jsonBodyAfterAuth({ limit: '32kb' }));
  const agentOf = (res: express.Response): Agent => res.locals.agent!;

  const withNames = (tickets: Ticket[]) => ticketsWithNames(store, tickets);

  router.get('/', requireAgent(), async (req, res) => {
    const q = listQuery.parse(req.query);
    const status = q.status
      ?.split(',')
      .filter(Boolean)
      .map((s) => {
        if (!(STATUSES as readonly string[]).includes(s)) throw invalid('invalid_status', `status must be one of ${STATUSES.join(', ')}`);
        return s as Ticket['status'];
      });
    const filter: TicketFilter = {
      ...(status ? { status } : {}),
      ...(q.channel ? { channel: q.channel as Channel } : {}),
      ...(q.priority ? { priority: q.priority as Ticket['priority'] } : {}),
      ...(q.limit ? { limit: q.limit } : {}),
      ...(q.assignee === 'me' ? { assigneeId: agentOf(res).id } : q.assignee === 'none' ? { assigneeId: null } : q.assignee ? { assigneeId: q.assignee } : {}),
    };
    res.json({ tickets: await withNames(await store.tickets.list(filter)) });
  });

  router.get('/:id', requireAgent(), async (req, res) => {
    const ticket = await store.tickets.get(req.params.id as string);
    if (!ticket) throw notFound('ticket', req.params.id as string);
    const [conversation, customer, messages, problems] = await Promise.all([
      store.conversations.get(ticket.conversationId),
      store.customers.get(ticket.customerId),
      store.conversations.listMessages(ticket.conversationId, 0, 2000),
      store.outbox.problems(ticket.conversationId),
    ]);
    const previous = (await store.conversations.listOfCustomer(ticket.customerId, 10)).filter((c) => c.id !== ticket.conversationId);
    const [named] = await withNames([ticket]);
    res.json({
      ticket: named,
      conversation: conversation && (await service.view(conversation)),
      customer,
      messages,
      previousConversations: previous.map((c) => ({ id: c.id, channel: c.channel, state: c.state, createdAt: c.createdAt })),
      // Messages the customer's platform has not taken (yet): failed for good, or being retried.
      deliveryProblems: problems.map((p) => ({ channel: p.channel, messageId: p.messageId, state: p.state, reason: p.lastError, attempts: p.attempts, nextAttemptAt: p.state === 'pending' ? p.nextAttemptAt : null })),
    });
  });

  router.post('/:id/claim', requireAgent(), async (req, res) => {
    res.json({ ticket: await service.claim(req.params.id as string, agentOf(res)) });
  });

  router.post('/:id/assign', requireAgent(), async (req, res) => {
    const { agentId } = z.object({ agentId: z.string().max(64) }).parse(req.body);
    const target = await store.agents.get(agentId);
    if (!target) throw notFound('agent', agentId);
    res.json({ ticket: await service.claim(req.params.id as string, agentOf(res), { force: true, assignTo: target }) });
  });

  router.post('/:id/reply', requireAgent(), async (req, res) => {
    // A coarse bound here; the service applies the one message limit (UTF-8 bytes).
    const body = textBody(deps.messageMaxBytes * 4).parse(req.body);
    res.status(201).json({ message: await service.agentReply(req.params.id as string, agentOf(res), body.text, body.clientId) });
  });

  router.post('/:id/notes', requireAgent(), async (req, res) => {
    const body = textBody(8000).parse(req.body);
    res.status(201).json({ message: await service.addNote(req.params.id as string, agentOf(res), body.text) });
  });

  router.post('/:id/resolve', requireAgent(), async (req, res) => {
    res.json({ ticket: await service.resolve(req.params.id as string, agentOf(res)) });
  });

  router.post('/:id/reopen', requireAgent(), async (req, res) => {
    res.json({ ticket: await service.reopen(req.params.id as string, agentOf(res)) });
  });

  router.patch('/:id', requireAgent(), async (req, res) => {
    const body = patchBody.parse(req.body);
    res.json({ ticket: await service.updateTicket(req.params.id as string, { ...(body.priority ? { priority: body.priority as Ticket['priority'] } : {}), ...(body.tags ? { tags: body.tags } : {}) }) });
  });

  return router;
}
