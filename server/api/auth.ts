import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { forbidden, rateLimited, unauthenticated } from '../domain/errors';
import { API_SCOPES, type ApiScope } from '../store/api-keys';
import type { Store } from '../store/types';

/** Who is calling the public API: a key (or the deprecated ADMIN_API_TOKEN) and what it may do. */
export interface ApiCaller {
  keyId: string;
  name: string;
  scopes: ReadonlySet<ApiScope>;
  /** The old shared ADMIN_API_TOKEN: full scope, deprecated. */
  legacyToken: boolean;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      apiCaller?: ApiCaller;
    }
  }
}

const LEGACY_KEY_ID = 'admin-api-token';
const RATE_WINDOW_MS = 60_000;

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** `admin` may do everything; every other scope is exactly what it says. */
export function allows(caller: ApiCaller, scope: ApiScope): boolean {
  return caller.scopes.has('admin') || caller.scopes.has(scope);
}

/**
 * Bearer authentication for /api/v1. Keys are looked up by hash in the database on every
 * request, so a revoked key is refused at once by every instance (no cache to go stale).
 * Each key has its own rate limit (a counter in the database, shared by all instances).
 */
export function apiAuthentication(deps: { store: Store; adminApiToken: string | undefined; ratePerMinute: number }) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) throw unauthenticated('send an API key as "Authorization: Bearer <key>"');
    const presented = header.slice(7).trim();
    let caller: ApiCaller | undefined;
    if (deps.adminApiToken && same(presented, deps.adminApiToken)) {
      caller = { keyId: LEGACY_KEY_ID, name: 'ADMIN_API_TOKEN', scopes: new Set(API_SCOPES), legacyToken: true };
      res.setHeader('Deprecation', 'true');
      res.setHeader('Link', '</api/docs#authentication>; rel="deprecation"');
    } else if (presented.startsWith('ak_')) {
      const key = await deps.store.apiKeys.authenticate(presented);
      if (key) caller = { keyId: key.id, name: key.name, scopes: new Set(key.scopes), legacyToken: false };
    }
    if (!caller) throw unauthenticated('invalid or revoked API key');
    const used = await deps.store.limits.hit(`api:${caller.keyId}`, RATE_WINDOW_MS);
    res.setHeader('RateLimit-Limit', String(deps.ratePerMinute));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, deps.ratePerMinute - used)));
    if (used > deps.ratePerMinute) {
      res.setHeader('Retry-After', String(Math.ceil((RATE_WINDOW_MS - (Date.now() % RATE_WINDOW_MS)) / 1000)));
      throw rateLimited(`at most ${deps.ratePerMinute} requests per minute for this key`);
    }
    res.locals.apiCaller = caller;
    next();
  };
}

export function requireScope(caller: ApiCaller, scope: ApiScope): void {
  if (!allows(caller, scope)) throw forbidden(`this key lacks the "${scope}" scope`, 'insufficient_scope');
}
