/**
 * The webhook event catalogue: every event type, the shape of its `data`, and the envelope
 * each delivery's body has. The OpenAPI document lists them under `webhooks`.
 */
import { z } from 'zod';
import { Conversation, Message, Ticket, Timestamp, ChannelName } from '../api/schemas';

const ticketData = z.object({ ticket: Ticket });

export const EVENT_DATA = {
  'conversation.created': z.object({ conversation: Conversation }),
  'message.created': z.object({ message: Message }),
  'ticket.created': ticketData,
  'ticket.assigned': ticketData,
  'ticket.resolved': ticketData,
  'ticket.sla_breached': ticketData,
  'survey.answered': z.object({
    survey: z.object({
      conversationId: z.string(),
      customerId: z.string().meta({ description: 'Whose answer it is: join with your CRM through the customer’s externalId.' }),
      channel: ChannelName,
      kind: z.enum(['ces', 'csat', 'nps']),
      score: z.number().int(),
      comment: z.string().nullable(),
      humanInvolved: z.boolean(),
    }),
  }),
  'article.published': z.object({ article: z.looseObject({ id: z.string(), title: z.string() }) }),
  'improvement.created': z.object({ improvement: z.looseObject({ id: z.string() }) }),
} as const;

export type EventType = keyof typeof EVENT_DATA;
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];
export type EventData<T extends EventType> = z.input<(typeof EVENT_DATA)[T]>;

export const EVENT_DESCRIPTIONS: Record<EventType, string> = {
  'conversation.created': 'A customer started a conversation (with its first message), in any channel or through the API.',
  'message.created': 'A customer, bot or agent message was added to a transcript (internal notes and system lines are not sent).',
  'ticket.created': 'The bot handed a conversation to people: a new ticket is in the queue.',
  'ticket.assigned': 'A ticket was claimed, assigned or transferred.',
  'ticket.resolved': 'An agent resolved a ticket.',
  'ticket.sla_breached': 'A ticket passed its first-response due time without an agent reply.',
  'survey.answered': 'A customer answered the CES (kind ces) or CSAT (kind csat) question.',
  'article.published': 'A help-centre article was published.',
  'improvement.created': 'A new "Improve the bot" item was created.',
};

/** The body of every delivery: one event. `id` is stable across retries and redeliveries. */
export const eventEnvelope = <T extends z.ZodType>(type: string, data: T) =>
  z.object({ id: z.string().meta({ description: 'evt_…, the same on every retry: de-duplicate on it.' }), type: z.literal(type), createdAt: Timestamp, data });
