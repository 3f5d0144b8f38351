/**
 * The public API's shapes, in zod: the same schemas validate requests, shape responses and
 * generate the OpenAPI document (zod 4's own JSON Schema output, draft 2020-12 = OpenAPI 3.1).
 * A schema with `.meta({ id })` becomes a named component.
 */
import { z } from 'zod';
import { API_SCOPES } from '../store/api-keys';
import { PRIORITIES } from '../store/types';

export const Timestamp = z.iso.datetime().meta({ id: 'Timestamp', description: 'ISO 8601 time in UTC.' });
export const ChannelName = z.enum(['web', 'slack', 'msteams', 'email']).meta({ id: 'Channel' });
const attributeValue = z.union([z.string().max(500), z.number(), z.boolean()]);
export const Attributes = z.record(z.string().min(1).max(64), attributeValue).meta({ id: 'Attributes', description: 'Custom customer attributes (at most 50, values up to 500 characters).' });

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).meta({ id: 'Error' });

export const Customer = z
  .object({
    id: z.string(),
    channel: ChannelName,
    externalId: z.string().nullable(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    attributes: Attributes,
    createdAt: Timestamp,
    lastSeenAt: Timestamp,
  })
  .meta({ id: 'Customer' });

export const Conversation = z
  .object({
    id: z.string(),
    customerId: z.string(),
    channel: ChannelName,
    state: z.enum(['bot', 'queued', 'assigned', 'resolved']),
    assigneeId: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    resolvedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Conversation' });

export const Message = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    seq: z.number().int(),
    author: z.enum(['customer', 'bot', 'agent', 'system']),
    authorName: z.string().nullable(),
    // Text, article cards, choices, buttons pressed, notes, hand-over events: see `type`.
    content: z.looseObject({ type: z.string() }),
    createdAt: Timestamp,
  })
  .meta({ id: 'Message', description: 'A transcript entry. `content.type` is text, article, choices, action, note, event, …' });

export const Ticket = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    customerId: z.string(),
    channel: ChannelName,
    status: z.enum(['open', 'assigned', 'resolved']),
    priority: z.enum(PRIORITIES as [string, ...string[]]),
    assigneeId: z.string().nullable(),
    subject: z.string(),
    reason: z.string(),
    tags: z.array(z.string()),
    firstResponseDueAt: Timestamp,
    firstResponseAt: Timestamp.nullable(),
    slaBreached: z.boolean(),
    resolvedAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Ticket' });

export const Survey = z
  .object({
    conversationId: z.string(),
    channel: ChannelName,
    kind: z.literal('ces'),
    score: z.number().int(),
    csat: z.number().int().nullable(),
    comment: z.string().nullable(),
    articleId: z.string().nullable(),
    agentId: z.string().nullable(),
    humanInvolved: z.boolean(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Survey', description: 'A CES answer, with the CSAT answer that followed it (if asked).' });

export const Article = z
  .object({
    id: z.string(),
    title: z.string(),
    category: z.string(),
    tags: z.array(z.string()),
    locale: z.string(),
    summary: z.string(),
    url: z.string(),
    body: z.string().optional().meta({ description: 'Markdown; only when reading one article.' }),
  })
  .meta({ id: 'Article' });

/** An article as the knowledge base stores it (knowledge:write answers). */
export const ManagedArticle = z
  .object({
    id: z.string(),
    title: z.string(),
    category: z.string(),
    tags: z.array(z.string()),
    locale: z.string(),
    summary: z.string(),
    body: z.string(),
    phrasings: z.array(z.string()),
    state: z.enum(['draft', 'published', 'archived']),
    version: z.number().int(),
    url: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ManagedArticle' });

export const Category = z.object({ id: z.string(), articleCount: z.number().int() }).meta({ id: 'Category' });

export const Metrics = z
  .looseObject({
    range: z.object({ from: z.string(), to: z.string() }),
    summary: z.looseObject({ conversations: z.number().int(), selfServiceRate: z.number().nullable(), escalationRate: z.number().nullable(), slaBreaches: z.number().int() }),
    daily: z.array(z.looseObject({ date: z.string() })),
  })
  .meta({ id: 'Metrics', description: 'The dashboard figures for a date range (definitions in server/metrics/compute.ts).' });

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.enum(API_SCOPES)),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const WebhookSubscription = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.string()),
    active: z.boolean(),
    failingSince: Timestamp.nullable(),
    disabledReason: z.string().nullable(),
    previousSecretUntil: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'WebhookSubscription' });

export const WebhookDelivery = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    state: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'WebhookDelivery' });

/** A page of a list: pass `nextCursor` back as `cursor` for the next one (null: no more). */
export const page = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const listQuery = {
  cursor: z.string().max(200).optional().meta({ description: 'From the previous page’s nextCursor.' }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
};
