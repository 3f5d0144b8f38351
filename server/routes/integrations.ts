import { Router } from 'express';
import { z } from 'zod';
import { presentDelivery, presentKey, presentSubscription } from '../api/present';
import type { RequireAgent } from '../auth/agent-auth';
import { notFound } from '../domain/errors';
import { API_SCOPES } from '../store/api-keys';
import type { Store } from '../store/types';
import type { WebhookAdmin } from '../webhooks/admin';
import { EVENT_DESCRIPTIONS, EVENT_TYPES } from '../webhooks/catalogue';
import { jsonBodyAfterAuth } from '../http/body';

const events = z.array(z.enum(EVENT_TYPES as [string, ...string[]])).min(1, 'pick at least one event');

/** The console's admin pages for integrations: API keys and webhook subscriptions (session + CSRF, admins only). */
export function integrationRoutes(deps: { store: Store; requireAgent: RequireAgent; webhooks: WebhookAdmin }): Router {
  const { store, requireAgent, webhooks } = deps;
  const router = Router();
  // Authentication before parsing: a malformed body from a stranger is 401, not 400.
  router.use(jsonBodyAfterAuth({ limit: '16kb' }));
  const admin = requireAgent('admin');

  router.get('/api-keys', admin, async (_req, res) => {
    res.json({ keys: (await store.apiKeys.list()).map(presentKey), scopes: API_SCOPES });
  });

  router.post('/api-keys', admin, async (req, res) => {
    const body = z.object({ name: z.string().trim().min(1).max(80), scopes: z.array(z.enum(API_SCOPES)).min(1, 'pick at least one scope') }).parse(req.body);
    const { key, secret } = await store.apiKeys.create({ ...body, createdBy: res.locals.agent!.id });
    res.status(201).json({ key: presentKey(key), secret });
  });

  router.post('/api-keys/:id/revoke', admin, async (req, res) => {
    const key = await store.apiKeys.revoke(req.params.id as string);
    if (!key) throw notFound('API key', req.params.id as string);
    res.json({ key: presentKey(key) });
  });

  router.get('/webhooks', admin, async (_req, res) => {
    res.json({ subscriptions: (await store.webhooks.list()).map(presentSubscription), events: EVENT_TYPES.map((type) => ({ type, description: EVENT_DESCRIPTIONS[type] })) });
  });

  router.post('/webhooks', admin, async (req, res) => {
    const body = z.object({ url: z.url().max(2000), events, description: z.string().trim().max(200).optional() }).parse(req.body);
    const { subscription, secret } = await webhooks.create(body);
    res.status(201).json({ subscription: presentSubscription(subscription), secret });
  });

  router.patch('/webhooks/:id', admin, async (req, res) => {
    const body = z.object({ url: z.url().max(2000).optional(), events: events.optional(), description: z.string().trim().max(200).nullable().optional(), active: z.boolean().optional() }).parse(req.body);
    res.json({ subscription: presentSubscription(await webhooks.update(req.params.id as string, body)) });
  });

  router.delete('/webhooks/:id', admin, async (req, res) => {
    await webhooks.remove(req.params.id as string);
    res.status(204).end();
  });

  router.post('/webhooks/:id/rotate', admin, async (req, res) => {
    const body = z.object({ overlapHours: z.number().min(0).max(168).optional() }).parse(req.body ?? {});
    const { subscription, secret } = await webhooks.rotate(req.params.id as string, body.overlapHours);
    res.json({ subscription: presentSubscription(subscription), secret });
  });

  router.get('/webhooks/:id/deliveries', admin, async (req, res) => {
    await webhooks.subscription(req.params.id as string);
    const deliveries = await store.webhooks.deliveries(req.params.id as string, { limit: 50 });
    res.json({
      deliveries: await Promise.all(deliveries.map(async (d) => ({ ...presentDelivery(d), attemptLog: await store.webhooks.attempts(d.id) }))),
    });
  });

  router.post('/webhooks/:id/deliveries/:deliveryId/redeliver', admin, async (req, res) => {
    res.status(202).json({ delivery: presentDelivery(await webhooks.redeliver(req.params.id as string, req.params.deliveryId as string)) });
  });

  return router;
}
