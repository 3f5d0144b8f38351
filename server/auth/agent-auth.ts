import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { forbidden, unauthenticated } from '../domain/errors';
import { stripUnwanted } from '../domain/text';
import type { Agent, Store } from '../store/types';

export const SESSION_COOKIE = 'answerdesk_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Longer cookie values than this are not ours (session ids are 43 characters). */
const COOKIE_MAX = 512;

/**
 * Cookies by name, own keys only. A value that is malformed, too long or holds NUL or another
 * non-character is dropped: it cannot be a session id, and must not reach the database.
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const raw = part.slice(i + 1).trim();
    if (raw.length > COOKIE_MAX) continue;
    try {
      const value = decodeURIComponent(raw);
      if (stripUnwanted(value) === value) out[part.slice(0, i).trim()] = value;
    } catch {
      // A malformed cookie is ignored rather than failing the request.
    }
  }
  return out;
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      agent?: Agent;
      sessionId?: string;
      /** A body parse error held back until the caller is authenticated (server/http/body.ts). */
      bodyError?: unknown;
      nonce?: string;
    }
  }
}

/**
 * Agents authenticate with a session cookie (console) or, for scripts and integrations, with
 * the admin API token. Cookie-authenticated state changes must echo the session's CSRF token
 * in a header; a cross-site form cannot set headers, so it gets 403.
 */
export function agentAuth(deps: { store: Store; adminApiToken?: string; apiAgent: () => Agent }) {
  return function requireAgent(role: Agent['role'] = 'agent') {
    return async (req: Request, res: Response, next: NextFunction) => {
      const header = req.headers.authorization;
      if (header?.startsWith('Bearer ')) {
        if (deps.adminApiToken && sameSecret(header.slice(7), deps.adminApiToken)) {
          res.locals.agent = deps.apiAgent();
          // Authenticated: now a body that did not parse is the caller's 400/413.
          return next(res.locals.bodyError);
        }
        throw unauthenticated('invalid API token');
      }
      const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE];
      const session = sid ? await deps.store.agents.getSession(sid) : undefined;
      if (!session) throw unauthenticated('sign in to the console first');
      if (!SAFE_METHODS.has(req.method)) {
        const token = req.headers[CSRF_HEADER];
        if (typeof token !== 'string' || !sameSecret(token, session.csrfToken)) throw forbidden('missing or invalid CSRF token');
      }
      if (role === 'admin' && session.agent.role !== 'admin') throw forbidden('admins only');
      res.locals.agent = session.agent;
      res.locals.sessionId = session.id;
      next(res.locals.bodyError);
    };
  };
}

export type RequireAgent = ReturnType<typeof agentAuth>;
