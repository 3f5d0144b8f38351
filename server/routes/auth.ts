import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { CSRF_HEADER, parseCookies, type RequireAgent, SESSION_COOKIE } from '../auth/agent-auth';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { conflict, rateLimited, unauthenticated } from '../domain/errors';
import type { RealtimeBus } from '../realtime/bus';
import type { Agent, Store } from '../store/types';

const SESSION_TTL_MS = 12 * 60 * 60_000;
const FAILURE_WINDOW_MS = 15 * 60_000;
/** Failed logins per account before we answer 429 for the rest of the window. */
const MAX_FAILURES = 5;
/** Per address the bar is higher: a whole office may sign in from one NAT address. */
const MAX_FAILURES_PER_IP = 30;

const credentials = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) });
const newAgent = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(80),
  password: z.string().min(10, 'passwords need at least 10 characters').max(200),
});

/** An agent whose console stopped sending heartbeats is offline, whatever they last chose. */
const PRESENCE_STALE_MS = 2 * 60_000;
const effectivePresence = (a: Agent) => (a.presence === 'online' && (!a.lastSeenAt || Date.now() - Date.parse(a.lastSeenAt) > PRESENCE_STALE_MS) ? 'offline' : a.presence);

export const publicAgent = (a: Agent) => ({ id: a.id, name: a.name, email: a.email, role: a.role, presence: effectivePresence(a), lastSeenAt: a.lastSeenAt });

export function authRoutes(deps: { store: Store; requireAgent: RequireAgent; secureCookies: boolean; bus: RealtimeBus; isApiAgent: (a: Agent) => boolean }): Router {
  const { store, requireAgent } = deps;
  const router = Router();
  router.use(express.json({ limit: '8kb' }));

  const startSession = async (res: Response, agent: Agent) => {
    const session = await store.agents.createSession(agent.id, SESSION_TTL_MS);
    res.cookie(SESSION_COOKIE, session.id, {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secureCookies,
      path: '/',
      maxAge: SESSION_TTL_MS,
    });
    res.json({ agent: publicAgent(agent), csrfToken: session.csrfToken });
  };

  const humanAgents = async () => (await store.agents.list()).filter((a) => !deps.isApiAgent(a));

  router.get('/setup', async (_req, res) => {
    res.json({ needed: (await humanAgents()).length === 0 });
  });

  /** First-run set-up: creates the first admin, and only while there is no agent at all. */
  router.post('/setup', async (req, res) => {
    const body = newAgent.parse(req.body);
    if ((await humanAgents()).length > 0) throw conflict('already_set_up', 'an admin already exists; sign in instead');
    const agent = await store.agents.create({ email: body.email, name: body.name, role: 'admin', passwordHash: await hashPassword(body.password) });
    await startSession(res, agent);
  });

  router.post('/login', async (req: Request, res) => {
    const body = credentials.parse(req.body);
    const keys = [`login-fail:${body.email.toLowerCase()}`, `login-fail-ip:${req.ip ?? ''}`];
    const [failures = 0, ipFailures = 0] = await Promise.all(keys.map((k) => store.limits.count(k, FAILURE_WINDOW_MS)));
    if (failures >= MAX_FAILURES || ipFailures >= MAX_FAILURES_PER_IP) {
      throw rateLimited('too many failed sign-ins; wait 15 minutes or ask an admin to reset your password', 'too_many_attempts');
    }
    const agent = await store.agents.byEmail(body.email);
    const ok = agent !== undefined && !deps.isApiAgent(agent) && (await verifyPassword(body.password, agent.passwordHash));
    if (!ok) {
      await Promise.all(keys.map((k) => store.limits.hit(k, FAILURE_WINDOW_MS)));
      // Each failure costs a little more time: guessing gets slower before it gets blocked.
      await new Promise((r) => setTimeout(r, 200 * (failures + 1)));
      throw unauthenticated('wrong email or password');
    }
    await startSession(res, agent);
  });

  router.get('/me', requireAgent(), async (req, res) => {
    const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    const session = sid ? await store.agents.getSession(sid) : undefined;
    res.json({ agent: publicAgent(res.locals.agent!), csrfToken: session?.csrfToken ?? null });
  });

  router.post('/logout', requireAgent(), async (_req, res) => {
    if (res.locals.sessionId) await store.agents.deleteSession(res.locals.sessionId);
    await store.agents.setPresence(res.locals.agent!.id, 'offline');
    deps.bus.publish({ type: 'presence' });
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  return router;
}

export { CSRF_HEADER };
