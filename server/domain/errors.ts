/**
 * Domain errors: a kind (what went wrong, in the domain's words), a stable code for clients
 * and an optional cause. They know nothing of HTTP: server/http/errors.ts maps kinds to
 * statuses, and each channel adapter turns them into its own platform's words.
 */
export type ErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'rate_limited' | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DomainError';
  }
}

/** At most this much of a client-supplied value is ever echoed back in an error message. */
const ECHO_MAX = 40;

/** A bounded, clearly quoted excerpt of client input, safe to put in an error message. */
export function quote(value: string): string {
  const printable = value.replace(/[\u0000-\u001F\u007F-\u009F]/g, '');
  return JSON.stringify(printable.length > ECHO_MAX ? `${printable.slice(0, ECHO_MAX)}…` : printable);
}

export const notFound = (what: string, id?: string) => new DomainError('not_found', 'not_found', id === undefined ? `${what} not found` : `${what} ${quote(id)} was not found`);
export const invalid = (code: string, message: string, cause?: unknown) => new DomainError('invalid', code, message, cause === undefined ? undefined : { cause });
export const unauthenticated = (message = 'authentication required') => new DomainError('unauthenticated', 'unauthorized', message);
export const forbidden = (message = 'not allowed', code = 'forbidden') => new DomainError('forbidden', code, message);
export const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
export const tooLarge = (message: string, code = 'message_too_large') => new DomainError('too_large', code, message);
export const rateLimited = (message = 'too many requests, slow down', code = 'rate_limited') => new DomainError('rate_limited', code, message);
