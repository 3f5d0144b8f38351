import { Router } from 'express';
import { z } from 'zod';
import type { RequireAgent } from '../auth/agent-auth';
import { hashPassword } from '../auth/passwords';
import { conflict, quote } from '../domain/errors';
import type { BusEvent, RealtimeBus } from '../realtime/bus';
import type { Agent, Store } from '../store/types';
import { publicAgent } from './auth';
import { jsonBodyAfterAuth } from '../http/body';

const SSE_KEEPALIVE_MS = 25_000;

/** Console plumbing: presence, agents, canned responses and the live event stream. */
export function consoleRoutes(deps: { store: Store; requireAgent: RequireAgent; bus: RealtimeBus; isApiAgent: (a: Agent) => boolean }): Router {
  const { store, requireAgent, bus } = deps;
  const router = Router();
  router.use(jsonBodyAfterAuth({ limit: '32kb' }));

  router.post('/presence', requireAgent(), async (req, res) => {
    const { presence } = z.object({ presence: z.enum(['online', 'away']) }).parse(req.body);
    await store.agents.setPresence(res.locals.agent!.id, presence);
    bus.publish({ type: 'presence' });
    res.status(204).end();
  });

  router.get('/agents', requireAgent(), async (_req, res) => {
    res.json({ agents: (await store.agents.list()).filter((a) => !deps.isApiAgent(a)).map(publicAgent) });
  });

  router.post('/agents', requireAgent('admin'), async (req, res) => {
    const body = z
      .object({
        email: z.email().max(254),
        name: z.string().trim().min(1).max(80),
        password: z.string().min(10, 'passwords need at least 10 characters').max(200),
        role: z.enum(['agent', 'editor', 'admin']).default('agent'),
      })
      .parse(req.body);
    if (await store.agents.byEmail(body.email)) throw conflict('agent_exists', `an agent with email ${quote(body.email)} already exists`);
    const agent = await store.agents.create({ email: body.email, name: body.name, role: body.role, passwordHash: await hashPassword(body.password) });
    res.status(201).json({ agent: publicAgent(agent) });
  });

  router.get('/canned', requireAgent(), async (_req, res) => {
    res.json({ responses: await store.agents.listCanned() });
  });

  router.post('/canned', requireAgent(), async (req, res) => {
    const body = z.object({ title: z.string().trim().min(1).max(80), body: z.string().trim().min(1).max(4000) }).parse(req.body);
    res.status(201).json({ response: await store.agents.createCanned({ ...body, createdBy: res.locals.agent!.id }) });
  });

  router.delete('/canned/:id', requireAgent(), async (req, res) => {
    await store.agents.deleteCanned(req.params.id as string);
    res.status(204).end();
  });

  /** Server-Sent Events for the console: ids only, the console refetches what changed. */
  router.get('/console/events', requireAgent(), (req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const send = (event: BusEvent) => {
      // Ids only: the console refetches what changed (stored rows stay on the server).
      const { type, ...data } = event.type === 'message' ? { type: event.type, conversationId: event.conversationId, seq: event.seq } : event;
      res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const unsubscribe = bus.subscribe(send);
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), SSE_KEEPALIVE_MS);
    req.on('close', () => {
      clearInterval(keepalive);
      unsubscribe();
    });
  });

  return router;
}
