import { isIP } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import type { NextFunction, Request, Response } from 'express';
import { invalid } from '../domain/errors';
import { normaliseInput } from '../domain/input';
import { stripUnwanted } from '../domain/text';

/**
 * Edge normalisation for every HTTP route, present and future: mounted once at the top of the
 * app, so a router added later gets it without asking.
 *
 * - Bodies: whichever parser sets `req.body` (express.json in a router, Slack's receiver,
 *   Teams' JSON parser) stores it through a setter that normalises it (server/domain/input.ts);
 *   a body nested too deeply makes the parser answer 400.
 * - Query strings: `edgeQueryParser` is the app's query parser (Express re-parses on each read).
 * - Paths: a path whose decoded form holds NUL or another non-character names nothing we
 *   store: 400 before any route looks it up (PostgreSQL would refuse it, SQLite would not).
 * - Cookies and headers are read through `parseCookies` (server/auth/agent-auth.ts), which
 *   drops values with such characters.
 */
export function edgeNormalisation() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    let body: unknown = (req as { body?: unknown }).body;
    Object.defineProperty(req, 'body', {
      configurable: true,
      enumerable: true,
      get: () => body,
      set: (value: unknown) => {
        body = normaliseInput(value);
      },
    });
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return next(invalid('malformed_path', 'the request path is not valid percent-encoding'));
    }
    if (stripUnwanted(path) !== path) return next(invalid('invalid_path', 'the request path contains control characters'));
    next();
  };
}

/** Query strings as node's querystring reads them (no nesting), then normalised. */
export function edgeQueryParser(query: string): Record<string, unknown> {
  return normaliseInput({ ...parseQueryString(query) });
}

/**
 * The client's address as a rate-limit key: `req.ip` (X-Forwarded-For from a trusted proxy) only
 * when it is an IP address. Behind a loopback proxy the client writes part of that header, so
 * anything else (8 KB of garbage, names) counts as one "unknown" source instead of a new key.
 */
export function sourceAddress(req: Request): string {
  const ip = req.ip ?? '';
  return isIP(ip) ? ip : 'unknown';
}
