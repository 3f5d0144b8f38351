import { randomBytes } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { CSRF_HEADER, parseCookies, type RequireAgent, SESSION_COOKIE } from '../auth/agent-auth';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { conflict, forbidden, rateLimited, unauthenticated } from '../domain/errors';
import type { SetupCode } from '../auth/setup-code';
import type { RealtimeBus } from '../realtime/bus';
import type { Agent, Store } from '../store/types';
import { sourceAddress } from '../http/edge';
import { bodyOf, jsonBodyAfterAuth } from '../http/body';

const SESSION_TTL_MS = 12 * 60 * 60_000;
const FAILURE_WINDOW_MS = 15 * 60_000;
/**
 * Failed sign-ins for one account from one address before we answer 429 for the rest of the
 * window. Keyed on account + address, so a stranger elsewhere cannot lock an agent out.
 */
const MAX_FAILURES = 8;
/** Per address over all accounts the bar is higher: a whole office may sign in from one NAT address. */
const MAX_FAILURES_PER_IP = 30;
/** Wrong set-up codes per address before 429 (the code has 60 random bits; this only slows guessing). */
const MAX_SETUP_FAILURES_PER_IP = 10;

/** Each failure from the same place waits longer: 100 ms, 200, 400 … up to 5 s. */
export function loginDelayMs(failuresSoFar: number): number {
  return Math.min(100 * 2 ** failuresSoFar, 5_000);
}
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const credentials = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) });
const newAgent = z.object({
  code: z.string().max(64),
  email: z.email().max(254),
  name: z.string().trim().min(1).max(80),
  password: z.string().min(10, 'passwords need at least 10 characters').max(200),
});

/** An agent whose console stopped sending heartbeats is offline, whatever they last chose. */
const PRESENCE_STALE_MS = 2 * 60_000;
const effectivePresence = (a: Agent) => (a.presence === 'online' && (!a.lastSeenAt || Date.now() - Date.parse(a.lastSeenAt) > PRESENCE_STALE_MS) ? 'offline' : a.presence);

export const publicAgent = (a: Agent) => ({ id: a.id, name: a.name, email: a.email, role: a.role, presence: effectivePresence(a), lastSeenAt: a.lastSeenAt });

export interface AuthRouteDeps {
  store: Store;
  requireAgent: RequireAgent;
  secureCookies: boolean;
  bus: RealtimeBus;
  isApiAgent: (a: Agent) => boolean;
  /** The first-run set-up code (printed in the server log); without it nobody can create the first admin. */
  setupCode: SetupCode;
  /** How a failed sign-in waits (tests record the delays instead of sleeping). */
  delay?: (ms: number) => Promise<void>;
}

export function authRoutes(deps: AuthRouteDeps): Router {
  const { store, requireAgent, setupCode } = deps;
  const delay = deps.delay ?? sleep;
  const router = Router();
  router.use(jsonBodyAfterAuth({ limit: '8kb' }));

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
  const setupOpen = async () => {
    if (setupCode.value === undefined) return false;
    if ((await humanAgents()).length === 0) return true;
    setupCode.close(); // someone ran `npm run agent:add` meanwhile
    return false;
  };
  // A hash of a password nobody knows: unknown emails cost the same scrypt as known ones.
  let decoy: Promise<string> | undefined;
  const decoyHash = () => (decoy ??= hashPassword(randomBytes(32).toString('hex')));

  router.get('/setup', async (_req, res) => {
    res.json({ needed: await setupOpen() });
  });

  /**
   * First-run set-up: creates the first admin, only while no agent exists, and only with the
   * one-time code the server printed in its log (never "whoever comes first").
   */
  router.post('/setup', async (req: Request, res) => {
    const body = newAgent.parse(bodyOf(req, res));
    if (!(await setupOpen())) throw conflict('already_set_up', 'an admin already exists; sign in instead');
    const ipKey = `setup-fail-ip:${sourceAddress(req)}`;
    if ((await store.limits.count(ipKey, FAILURE_WINDOW_MS)) >= MAX_SETUP_FAILURES_PER_IP) throw rateLimited('too many wrong set-up codes; wait 15 minutes', 'too_many_attempts');
    // From here to take() nothing awaits: two requests with the right code make one admin.
    const code = setupCode.value;
    if (code === undefined) throw conflict('already_set_up', 'an admin already exists; sign in instead');
    if (!setupCode.take(body.code)) {
      await store.limits.hit(ipKey, FAILURE_WINDOW_MS);
      throw forbidden('wrong set-up code: use the code printed in the server log when it started', 'wrong_setup_code');
    }
    let agent: Agent;
    try {
      agent = await store.agents.create({ email: body.email, name: body.name, role: 'admin', passwordHash: await hashPassword(body.password) });
    } catch (err) {
      setupCode.restore(code);
      throw err;
    }
    await startSession(res, agent);
  });

  router.post('/login', async (req: Request, res) => {
    const body = credentials.parse(bodyOf(req, res));
    const email = body.email.toLowerCase();
    const keys = [`login-fail:${email}:${sourceAddress(req)}`, `login-fail-ip:${sourceAddress(req)}`];
    const [failures = 0, ipFailures = 0] = await Promise.all(keys.map((k) => store.limits.count(k, FAILURE_WINDOW_MS)));
    if (failures >= MAX_FAILURES || ipFailures >= MAX_FAILURES_PER_IP) {
      throw rateLimited('too many failed sign-ins from here; wait 15 minutes or ask an admin to reset your password', 'too_many_attempts');
    }
    const found = await store.agents.byEmail(body.email);
    const agent = found && !deps.isApiAgent(found) ? found : undefined;
    // The same work whether or not the account exists: timing does not tell which emails are agents.
    const verified = await verifyPassword(body.password, agent?.passwordHash ?? (await decoyHash()));
    if (!agent || !verified) {
      await Promise.all(keys.map((k) => store.limits.hit(k, FAILURE_WINDOW_MS)));
      await delay(loginDelayMs(failures));
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
