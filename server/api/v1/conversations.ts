import { z } from 'zod';
import { conflict, invalid, notFound } from '../../domain/errors';
import type { InboundResult } from '../../domain/inbound';
import { positionOf } from '../../store/api-reads';
import type { ChatMessage } from '../../domain/transcript';
import { decodePosition, decodeSeq, pageOf } from '../cursor';
import { presentConversation, presentMessage } from '../present';
import { op } from '../registry';
import { Conversation, listQuery, Message, page } from '../schemas';
import { actingAgent, type ApiDeps } from './deps';

const text = z.string().trim().min(1).max(16_000);

/** What receive() said, as the API's answer: stored, or the refusal as an error. */
function stored(result: InboundResult): { message: ChatMessage; conversationId: string } {
  if (result.kind === 'stored') return result;
  if (result.kind === 'refused') throw result.error;
  throw invalid(`message_${result.reason}`, result.reason === 'empty' ? 'text is empty' : 'the message does not belong to a conversation');
}

export const conversationOperations = ({ store, service }: ApiDeps) => {
  /** Customer input through the one entry every channel uses (limits, scoping, the bot's answer). */
  const asCustomer = async (customerId: string, body: string, clientKey: string | undefined, mayStart: boolean) =>
    stored(
      await service.receive({
        channel: 'web',
        sender: { customerId },
        threadKey: 'web',
        mayStart,
        body: { type: 'text', text: body },
        ...(clientKey ? { platformId: `api:${clientKey}` } : {}),
        receivedAt: new Date(),
      }),
    );
  const idemKey = (req: { headers: Record<string, unknown> }, keyId: string) => (typeof req.headers['idempotency-key'] === 'string' ? `${keyId}:${req.headers['idempotency-key'] as string}` : undefined);
  const conversationOf = async (id: string) => {
    const conversation = await store.conversations.get(id);
    if (!conversation) throw notFound('conversation', id);
    return conversation;
  };

  return [
    op({
      method: 'get',
      path: '/conversations',
      operationId: 'listConversations',
      summary: 'List conversations (newest first)',
      tag: 'Conversations',
      scope: 'read',
      query: z.object({ ...listQuery, customerId: z.string().max(64).optional(), state: z.enum(['bot', 'queued', 'assigned', 'resolved']).optional() }),
      response: page(Conversation),
      handle: async ({ query }) =>
        pageOf(
          await store.apiReads.conversations(decodePosition(query.cursor), query.limit + 1, { ...(query.customerId ? { customerId: query.customerId } : {}), ...(query.state ? { state: query.state } : {}) }),
          query.limit,
          presentConversation,
          positionOf,
        ),
    }),
    op({
      method: 'post',
      path: '/conversations',
      operationId: 'openConversation',
      summary: 'Send a message as an identified customer (opens their conversation if none is open)',
      description: 'The message enters like one typed in the widget (same limits, same bot): the bot answers it, and a hand-over opens a ticket. Use Idempotency-Key: a retry stores it once.',
      tag: 'Conversations',
      scope: 'conversations:write',
      body: z.object({ customerId: z.string().max(64), text }),
      status: 201,
      response: z.object({ conversation: Conversation, message: Message }),
      handle: async ({ body, req, caller }) => {
        const customer = await store.customers.get(body.customerId);
        if (!customer) throw notFound('customer', body.customerId);
        if (customer.channel !== 'web') throw conflict('wrong_channel', `this customer talks to us through ${customer.channel}; messages on their behalf can only be sent for web customers`);
        const { message, conversationId } = await asCustomer(customer.id, body.text, idemKey(req, caller.keyId), true);
        return { conversation: presentConversation(await conversationOf(conversationId)), message: presentMessage(message) };
      },
    }),
    op({
      method: 'get',
      path: '/conversations/{id}',
      operationId: 'getConversation',
      summary: 'Read a conversation',
      tag: 'Conversations',
      scope: 'read',
      response: z.object({ conversation: Conversation }),
      handle: async ({ params }) => ({ conversation: presentConversation(await conversationOf(params.id!)) }),
    }),
    op({
      method: 'get',
      path: '/conversations/{id}/messages',
      operationId: 'listMessages',
      summary: 'The transcript, oldest first',
      tag: 'Conversations',
      scope: 'read',
      query: z.object(listQuery),
      response: page(Message),
      handle: async ({ params, query }) => {
        await conversationOf(params.id!);
        const rows = await store.conversations.listMessages(params.id!, decodeSeq(query.cursor), query.limit + 1);
        return pageOf(rows, query.limit, presentMessage, (m) => ({ seq: m.seq }));
      },
    }),
    op({
      method: 'post',
      path: '/conversations/{id}/messages',
      operationId: 'postMessage',
      summary: 'Post a message as the customer or as an agent',
      description: '`as: customer` (web conversations) enters like a widget message; `as: agent` replies on the conversation’s ticket (claiming it if nobody has), as `agentId` or the API’s own agent.',
      tag: 'Conversations',
      scope: 'conversations:write',
      body: z.object({ text, as: z.enum(['customer', 'agent']), agentId: z.string().max(64).optional() }),
      status: 201,
      response: z.object({ message: Message }),
      handle: async ({ params, body, req, caller, apiAgent }) => {
        const conversation = await conversationOf(params.id!);
        if (body.as === 'customer') {
          if (conversation.channel !== 'web') throw conflict('wrong_channel', 'customer messages can only be posted to web conversations');
          return { message: presentMessage((await asCustomer(conversation.customerId, body.text, idemKey(req, caller.keyId), false)).message) };
        }
        const ticket = await store.tickets.byConversation(conversation.id);
        if (!ticket) throw conflict('no_ticket', 'the bot still handles this conversation; agents reply once it has a ticket');
        const agent = await actingAgent(store, apiAgent, body.agentId);
        return { message: presentMessage(await service.agentReply(ticket.id, agent, body.text, idemKey(req, caller.keyId))) };
      },
    }),
  ];
};
