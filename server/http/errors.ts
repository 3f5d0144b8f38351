import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { DomainError, type ErrorKind, quote } from '../domain/errors';

/** No error message is longer than this, whatever it quotes. */
const MESSAGE_MAX = 300;
const bounded = (message: string) => (message.length > MESSAGE_MAX ? `${message.slice(0, MESSAGE_MAX)}…` : message);

/** The only place domain errors become HTTP statuses. */
const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

export function httpStatusOf(err: DomainError): number {
  return STATUS[err.kind];
}

/** Every error leaves as `{ error: { code, message } }`; internals never reach the client. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string };
    let status = 500;
    let code = 'internal';
    let message = 'internal error';
    if (err instanceof DomainError) {
      status = httpStatusOf(err);
      ({ code, message } = err);
    } else if (err instanceof ZodError) {
      status = 400;
      code = 'invalid_request';
      // Field names can be client-chosen (record keys): each path is quoted and bounded.
      message = bounded(err.issues.map((i) => `${i.path.length ? quote(i.path.join('.')) : 'body'}: ${i.message}`).join('; '));
    } else if (e?.type === 'entity.too.large') {
      status = 413;
      code = 'payload_too_large';
      message = 'request body is too large';
    } else if (e?.type === 'entity.parse.failed') {
      status = 400;
      code = 'malformed_json';
      message = 'request body is not valid JSON';
    } else if (e?.type === 'entity.too.deep') {
      status = 400;
      code = 'too_deeply_nested';
      message = e.message ?? 'request body is nested too deeply';
    } else if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
      status = 415;
      code = 'unsupported_encoding';
      message = 'request body encoding or charset is not supported';
    } else if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      // Anything else a client caused (a malformed path, an aborted upload …): its own 4xx.
      status = e.status;
      code = 'bad_request';
      message = 'bad request';
    } else {
      log.error({ err, url: req.originalUrl }, 'unhandled error');
    }
    if (res.headersSent) return;
    res.status(status).json({ error: { code, message: bounded(message) } });
  };
}

export function notFound(req: Request, res: Response): void {
  res.status(404).json({ error: { code: 'not_found', message: `no route for ${req.method} ${quote(req.path)}` } });
}
