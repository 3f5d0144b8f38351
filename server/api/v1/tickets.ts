import { z } from 'zod';
import { notFound } from '../../domain/errors';
import { positionOf } from '../../store/api-reads';
import { PRIORITIES, type TicketPriority, type TicketStatus } from '../../store/types';
import { decodePosition, pageOf } from '../cursor';
import { presentMessage, presentTicket } from '../present';
import { op } from '../registry';
import { ChannelName, listQuery, Message, page, Ticket } from '../schemas';
import { actingAgent, type ApiDeps, commaList } from './deps';

const STATUSES: TicketStatus[] = ['open', 'assigned', 'resolved'];
const one = z.object({ ticket: Ticket });
const asAgent = { agentId: z.string().max(64).optional().meta({ description: 'Act as this agent; default: the API’s own "Support team" agent.' }) };
const tag = z.string().trim().min(1).max(40);

export const ticketOperations = ({ store, service }: ApiDeps) => {
  const ticketOf = async (id: string) => {
    const ticket = await store.tickets.get(id);
    if (!ticket) throw notFound('ticket', id);
    return ticket;
  };
  const clientKey = (req: { headers: Record<string, unknown> }, keyId: string) => (typeof req.headers['idempotency-key'] === 'string' ? `${keyId}:${req.headers['idempotency-key'] as string}` : undefined);

  return [
    op({
      method: 'get',
      path: '/tickets',
      operationId: 'listTickets',
      summary: 'List and filter tickets (newest first)',
      tag: 'Tickets',
      scope: 'read',
      query: z.object({
        ...listQuery,
        status: z.string().max(100).optional().meta({ description: 'Comma list: open, assigned, resolved.' }),
        priority: z.string().max(100).optional().meta({ description: 'Comma list: low, normal, high, urgent.' }),
        channel: ChannelName.optional(),
        assignee: z.string().max(64).optional().meta({ description: 'An agent id, or `none` for unassigned.' }),
        tag: tag.optional(),
        customerId: z.string().max(64).optional(),
      }),
      response: page(Ticket),
      handle: async ({ query }) => {
        const status = commaList(query.status, STATUSES, 'status');
        const priority = commaList(query.priority, PRIORITIES as TicketPriority[], 'priority');
        const rows = await store.apiReads.tickets(decodePosition(query.cursor), query.limit + 1, {
          ...(status ? { status } : {}),
          ...(priority ? { priority } : {}),
          ...(query.channel ? { channel: query.channel } : {}),
          ...(query.assignee ? { assigneeId: query.assignee === 'none' ? null : query.assignee } : {}),
          ...(query.tag ? { tag: query.tag } : {}),
          ...(query.customerId ? { customerId: query.customerId } : {}),
        });
        return pageOf(rows, query.limit, presentTicket, positionOf);
      },
    }),
    op({
      method: 'get',
      path: '/tickets/{id}',
      operationId: 'getTicket',
      summary: 'Read a ticket',
      tag: 'Tickets',
      scope: 'read',
      response: one,
      handle: async ({ params }) => ({ ticket: presentTicket(await ticketOf(params.id!)) }),
    }),
    op({
      method: 'post',
      path: '/tickets/{id}/claim',
      operationId: 'claimTicket',
      summary: 'Claim a ticket (409 if someone else has it)',
      tag: 'Tickets',
      scope: 'tickets:write',
      body: z.object(asAgent),
      response: one,
      handle: async ({ params, body, apiAgent }) => ({ ticket: presentTicket(await service.claim(params.id!, await actingAgent(store, apiAgent, body.agentId))) }),
    }),
    op({
      method: 'post',
      path: '/tickets/{id}/assign',
      operationId: 'assignTicket',
      summary: 'Assign or transfer a ticket to an agent',
      tag: 'Tickets',
      scope: 'tickets:write',
      body: z.object({ agentId: z.string().max(64) }),
      response: one,
      handle: async ({ params, body, apiAgent }) => {
        const target = await actingAgent(store, apiAgent, body.agentId);
        return { ticket: presentTicket(await service.claim(params.id!, apiAgent, { force: true, assignTo: target })) };
      },
    }),
    op({
      method: 'post',
      path: '/tickets/{id}/reply',
      operationId: 'replyToTicket',
      summary: 'Reply to the customer (claims an unclaimed ticket)',
      tag: 'Tickets',
      scope: 'tickets:write',
      body: z.object({ text: z.string().trim().min(1).max(16_000), ...asAgent }),
      status: 201,
      response: z.object({ message: Message }),
      handle: async ({ params, body, apiAgent, req, caller }) => ({ message: presentMessage(await service.agentReply(params.id!, await actingAgent(store, apiAgent, body.agentId), body.text, clientKey(req, caller.keyId))) }),
    }),
    op({
      method: 'post',
      path: '/tickets/{id}/notes',
      operationId: 'addTicketNote',
      summary: 'Add an internal note (never shown to the customer)',
      tag: 'Tickets',
      scope: 'tickets:write',
      body: z.object({ text: z.string().trim().min(1).max(8000), ...asAgent }),
      status: 201,
      response: z.object({ message: Message }),
      handle: async ({ params, body, apiAgent }) => ({ message: presentMessage(await service.addNote(params.id!, await actingAgent(store, apiAgent, body.agentId), body.text)) }),
    }),
    op({
      method: 'post',
      path: '/tickets/{id}/tags',
      operationId: 'tagTicket',
      summary: 'Add and remove tags',
      tag: 'Tickets',
      scope: 'tickets:write',
      body: z.object({ add: z.array(tag).max(20).optional(), remove: z.array(tag).max(20).optional() }),
      response: one,
      handle: async ({ params, body }) => ({ ticket: presentTicket(await service.updateTicket(params.id!, { ...(body.add ? { addTags: body.add } : {}), ...(body.remove ? { removeTags: body.remove } : {}) })) }),
    }),
    op({
      method: 'patch',
      path: '/tickets/{id}',
      operationId: 'updateTicket',
      summary: 'Change priority or replace the tags',
      tag: 'Tickets',
      scope: 'tickets:write',
      body: z.object({ priority: z.enum(PRIORITIES as [TicketPriority, ...TicketPriority[]]).optional(), tags: z.array(tag).max(20).optional() }),
      response: one,
      handle: async ({ params, body }) => ({ ticket: presentTicket(await service.updateTicket(params.id!, body)) }),
    }),
    op({
      method: 'post',
      path: '/tickets/{id}/resolve',
      operationId: 'resolveTicket',
      summary: 'Resolve (the customer gets the effort survey)',
      tag: 'Tickets',
      scope: 'tickets:write',
      body: z.object(asAgent),
      response: one,
      handle: async ({ params, body, apiAgent }) => ({ ticket: presentTicket(await service.resolve(params.id!, await actingAgent(store, apiAgent, body.agentId))) }),
    }),
    op({
      method: 'post',
      path: '/tickets/{id}/reopen',
      operationId: 'reopenTicket',
      summary: 'Reopen a resolved ticket',
      tag: 'Tickets',
      scope: 'tickets:write',
      body: z.object(asAgent),
      response: one,
      handle: async ({ params, body, apiAgent }) => ({ ticket: presentTicket(await service.reopen(params.id!, await actingAgent(store, apiAgent, body.agentId))) }),
    }),
  ];
};
