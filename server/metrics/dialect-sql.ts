import { type RawBuilder, sql } from 'kysely';
import type { Dialect } from '../store/open';

/**
 * The few places where SQLite and PostgreSQL spell the same thing differently. Everything
 * else in the metrics queries is portable SQL (CASE, COUNT, GROUP BY, ON CONFLICT).
 */

/** A text value at a fixed JSON path of a JSON text column (null when absent). */
export function jsonText(dialect: Dialect, column: RawBuilder<unknown>, path: readonly string[]): RawBuilder<string | null> {
  if (path.some((p) => !/^\w+$/.test(p))) throw new Error(`unsafe JSON path ${path.join('.')}`);
  if (dialect === 'postgres') return sql<string | null>`(${column}::jsonb #>> ${sql.lit(`{${path.join(',')}}`)})`;
  return sql<string | null>`cast(json_extract(${column}, ${sql.lit(`$.${path.join('.')}`)}) as text)`;
}

/**
 * A customer attribute by a key the site chose (checked against ATTRIBUTE_KEY first), as text:
 * booleans read "true"/"false" on both backends.
 */
export function attributeText(dialect: Dialect, column: RawBuilder<unknown>, key: string): RawBuilder<string | null> {
  if (!ATTRIBUTE_KEY.test(key)) throw new Error('unsafe attribute key');
  if (dialect === 'postgres') return sql<string | null>`(${column}::jsonb ->> ${key})`;
  return sql<string | null>`(case json_type(${column}, ${`$."${key}"`}) when 'true' then 'true' when 'false' then 'false' else cast(json_extract(${column}, ${`$."${key}"`}) as text) end)`;
}

/** Attribute keys a segment may name: what sites send (plan, seats, company.size …). */
export const ATTRIBUTE_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

/** Milliseconds from `from` to `to`, two ISO-8601 text columns. */
export function msBetween(dialect: Dialect, from: RawBuilder<unknown>, to: RawBuilder<unknown>): RawBuilder<number> {
  if (dialect === 'postgres') return sql<number>`(extract(epoch from (${to}::timestamptz - ${from}::timestamptz)) * 1000)`;
  return sql<number>`((julianday(${to}) - julianday(${from})) * 86400000.0)`;
}

/** An ISO-8601 text column plus a number of days, as ISO-8601 text (comparable with the stored times). */
export function plusDays(dialect: Dialect, column: RawBuilder<unknown>, days: number): RawBuilder<string> {
  if (dialect === 'postgres') {
    return sql<string>`to_char((${column}::timestamptz + ${sql.lit(`${days} days`)}::interval) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  }
  return sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', ${column}, ${sql.lit(`+${days} days`)})`;
}

/**
 * An event id as fixed-width text: `max(padded id || value)` is "the value of the newest
 * matching event" in one GROUP BY pass, on both backends (no correlated subquery per row).
 */
export const ID_WIDTH = 15;
export function paddedId(dialect: Dialect, column: RawBuilder<unknown>): RawBuilder<string> {
  if (dialect === 'postgres') return sql<string>`lpad(${column}::text, ${sql.lit(ID_WIDTH)}, '0')`;
  return sql<string>`printf('%0${sql.raw(String(ID_WIDTH))}d', ${column})`;
}
