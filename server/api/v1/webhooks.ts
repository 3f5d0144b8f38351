import { z } from 'zod';
import { EVENT_TYPES } from '../../webhooks/catalogue';
import { decodePosition, pageOf } from '../cursor';
import { presentDelivery, presentSubscription } from '../present';
import { op } from '../registry';
import { page, WebhookDelivery, WebhookSubscription } from '../schemas';
import type { ApiDeps } from './deps';

const events = z.array(z.enum(EVENT_TYPES as [string, ...string[]])).min(1).max(EVENT_TYPES.length);
const withSecret = z.object({ subscription: WebhookSubscription, secret: z.string().meta({ description: 'Shown once: the signing secret (whsec_…).' }) });

export const webhookOperations = ({ store, webhooks }: ApiDeps) => [
  op({
    method: 'get',
    path: '/webhooks',
    operationId: 'listWebhooks',
    summary: 'Webhook subscriptions',
    tag: 'Webhooks',
    scope: 'admin',
    response: z.object({ data: z.array(WebhookSubscription) }),
    handle: async () => ({ data: (await store.webhooks.list()).map(presentSubscription) }),
  }),
  op({
    method: 'post',
    path: '/webhooks',
    operationId: 'createWebhook',
    summary: 'Subscribe a URL to events',
    tag: 'Webhooks',
    scope: 'admin',
    body: z.object({ url: z.url().max(2000), events, description: z.string().trim().max(200).optional() }),
    status: 201,
    response: withSecret,
    handle: async ({ body }) => {
      const { subscription, secret } = await webhooks.create(body);
      return { subscription: presentSubscription(subscription), secret };
    },
  }),
  op({
    method: 'patch',
    path: '/webhooks/{id}',
    operationId: 'updateWebhook',
    summary: 'Change a subscription, or turn it off and on',
    tag: 'Webhooks',
    scope: 'admin',
    body: z.object({ url: z.url().max(2000).optional(), events: events.optional(), description: z.string().trim().max(200).nullable().optional(), active: z.boolean().optional() }),
    response: z.object({ subscription: WebhookSubscription }),
    handle: async ({ params, body }) => ({ subscription: presentSubscription(await webhooks.update(params.id!, body)) }),
  }),
  op({
    method: 'delete',
    path: '/webhooks/{id}',
    operationId: 'deleteWebhook',
    summary: 'Delete a subscription',
    tag: 'Webhooks',
    scope: 'admin',
    handle: async ({ params }) => {
      await webhooks.remove(params.id!);
      return undefined;
    },
  }),
  op({
    method: 'post',
    path: '/webhooks/{id}/rotate-secret',
    operationId: 'rotateWebhookSecret',
    summary: 'New signing secret; the old one keeps signing too for the overlap',
    tag: 'Webhooks',
    scope: 'admin',
    body: z.object({ overlapHours: z.number().min(0).max(168).optional() }),
    response: withSecret,
    handle: async ({ params, body }) => {
      const { subscription, secret } = await webhooks.rotate(params.id!, body.overlapHours);
      return { subscription: presentSubscription(subscription), secret };
    },
  }),
  op({
    method: 'get',
    path: '/webhooks/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: 'The delivery log, newest first',
    tag: 'Webhooks',
    scope: 'admin',
    query: z.object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(25) }),
    response: page(WebhookDelivery),
    handle: async ({ params, query }) => {
      await webhooks.subscription(params.id!);
      const before = decodePosition(query.cursor)?.at;
      const rows = await store.webhooks.deliveries(params.id!, { ...(before ? { before } : {}), limit: query.limit + 1 });
      return pageOf(rows, query.limit, presentDelivery, (d) => ({ at: d.createdAt, id: d.id }));
    },
  }),
  op({
    method: 'post',
    path: '/webhooks/{id}/deliveries/{deliveryId}/redeliver',
    operationId: 'redeliverWebhook',
    summary: 'Send a delivery again (same event id and body)',
    tag: 'Webhooks',
    scope: 'admin',
    status: 202,
    response: z.object({ delivery: WebhookDelivery }),
    handle: async ({ params }) => ({ delivery: presentDelivery(await webhooks.redeliver(params.id!, params.deliveryId!)) }),
  }),
];
