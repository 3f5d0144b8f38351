import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';

/** A fresh CSP nonce per response, for the few inline scripts we serve (the embed snippet). */
export function cspNonce(_req: Request, res: Response, next: NextFunction): void {
  res.locals.nonce = randomBytes(16).toString('base64');
  next();
}

export function securityHeaders(options: { https: boolean }) {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.nonce as string}'`],
        // The widget styles its shadow root; inline style attributes come from preact.
        styleSrc: ["'self'", "'unsafe-inline'"],
        // https: for the team's logo (branding), which usually lives on the company's own site.
        imgSrc: ["'self'", 'data:', 'https:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // Only when served over https: on plain-http installs it would break every request.
        upgradeInsecureRequests: options.https ? [] : null,
      },
    },
    // widget.js is embedded by other sites, so it must be loadable cross-origin.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
}

/** Origins allowed to embed the widget: configured list, plus the server's own origin. */
export function originChecker(config: Config) {
  const configured = new Set((config.allowedOrigins ?? []).map((o) => o.replace(/\/$/, '')));
  if (config.publicUrl) configured.add(new URL(config.publicUrl).origin);
  const allowAll = configured.has('*');
  return (origin: string | undefined, req: IncomingMessage): boolean => {
    if (!origin) return false;
    if (allowAll || configured.has(origin)) return true;
    const host = req.headers.host;
    // Same origin is always fine (the demo page, /help, the console).
    return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
  };
}

/** CORS for the widget's REST calls from embedding sites. */
export function widgetCors(isAllowed: ReturnType<typeof originChecker>) {
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin && isAllowed(origin, req)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}
