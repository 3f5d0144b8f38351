import { z } from 'zod';
import { invalid } from './errors';
import { stripUnwanted } from './text';

/**
 * Input as the edge hands it on, whatever the transport (HTTP bodies, query strings, cookies,
 * WebSocket frames, Slack and Teams payloads): strings without NUL and other non-characters
 * (PostgreSQL refuses NUL in text, SQLite keeps it — removing it here makes both backends
 * behave alike), object keys that cannot reach a prototype, and a bounded depth.
 */

/** Deeper than this, a body is refused: no payload we accept nests more than a few levels. */
export const MAX_DEPTH = 32;

/** Keys that name built-in object machinery: never data, dropped wherever input is read. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Thrown for input nested deeper than MAX_DEPTH; body parsers turn it into a 400. */
export class TooDeepError extends Error {
  readonly type = 'entity.too.deep';
  readonly status = 400;
  constructor() {
    super(`input is nested deeper than ${MAX_DEPTH} levels`);
    this.name = 'TooDeepError';
  }
}

/** A normalised copy of parsed input (JSON-like values); other values pass through. */
export function normaliseInput<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return stripUnwanted(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) throw new TooDeepError();
  if (Array.isArray(value)) return value.map((v) => normaliseInput(v, depth + 1)) as T;
  // Only plain objects (JSON, querystring's null-prototype objects) are data; leave the rest alone.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const k = stripUnwanted(key);
    if (PROTOTYPE_KEYS.has(k)) continue;
    out[k] = normaliseInput(v, depth + 1);
  }
  return out as T;
}

/**
 * The same, in place, for input a library hands over as an object it keeps using (bolt's
 * Socket Mode body, which its listeners read as `event`, `payload`, `body`).
 */
export function normaliseInPlace(value: unknown, depth = 0): void {
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_DEPTH) throw new TooDeepError();
  const node = value as Record<string, unknown>;
  for (const key of Object.keys(node)) {
    const v = node[key];
    const k = stripUnwanted(key);
    if (k !== key || PROTOTYPE_KEYS.has(k)) delete node[key];
    if (PROTOTYPE_KEYS.has(k)) continue;
    node[k] = typeof v === 'string' ? stripUnwanted(v) : v;
    normaliseInPlace(v, depth + 1);
  }
}

/** Storage holds 32-bit integers (sequence numbers, counts): no number input goes beyond them. */
export const INT32_MAX = 2_147_483_647;

/** A whole number within [min, max] (default: what a 32-bit column holds), for JSON bodies and frames. */
export const boundedInt = (min = 0, max = INT32_MAX) => z.number().int().min(min).max(max);

/**
 * The same for query strings and path parts: digits only (no "1e3", " 7", "0x10"), then bounded.
 * A value beyond the bound is refused with a 400, never passed to the database.
 */
export const boundedIntParam = (min = 0, max = INT32_MAX) =>
  z
    .string()
    .regex(/^\d{1,10}$/, `a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `a whole number from ${min} to ${max}`).max(max, `a whole number from ${min} to ${max}`));

/** `record[key]` only when `key` is the record's own key: "constructor" or "__proto__" name nothing. */
export function ownValue<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** `ownValue`, or an `invalid` domain error naming the allowed keys. */
export function pickOwn<V>(record: Readonly<Record<string, V>>, key: string, what: string): V {
  const value = ownValue(record, key);
  if (value === undefined) throw invalid(`unknown_${what}`, `${what} must be one of ${Object.keys(record).join(', ')}`);
  return value;
}
