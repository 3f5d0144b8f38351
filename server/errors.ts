/**
 * Typed errors that map to HTTP responses `{ error: { code, message } }`. Anything else that
 * reaches the error handler is a bug and becomes a 500 without internals.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export class NotFoundError extends HttpError {
  constructor(what: string, id: string) {
    super(404, 'not_found', `${what} ${id} was not found`);
  }
}

export const badRequest = (code: string, message: string) => new HttpError(400, code, message);
export const unauthorized = (message = 'authentication required') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message = 'not allowed') => new HttpError(403, 'forbidden', message);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);
export const tooLarge = (message: string) => new HttpError(413, 'message_too_large', message);
export const rateLimited = (message = 'too many requests, slow down') => new HttpError(429, 'rate_limited', message);
