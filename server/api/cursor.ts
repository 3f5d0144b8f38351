import { invalid } from '../domain/errors';
import type { Position } from '../store/api-reads';

/** Opaque cursors: the position of a page's last row, base64url JSON. Clients pass them back unchanged. */
export function encodeCursor(p: Position | { seq: number }): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

export function decodePosition(cursor: string | undefined): Position | undefined {
  if (!cursor) return undefined;
  const value = parse(cursor) as Partial<Position>;
  if (typeof value?.at !== 'string' || typeof value.id !== 'string') throw badCursor();
  return { at: value.at, id: value.id };
}

export function decodeSeq(cursor: string | undefined): number {
  if (!cursor) return 0;
  const value = parse(cursor) as { seq?: unknown };
  if (!Number.isInteger(value?.seq) || (value.seq as number) < 0) throw badCursor();
  return value.seq as number;
}

const badCursor = () => invalid('invalid_cursor', 'cursor is not one this API gave out');

function parse(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
}

/** A page from `limit + 1` rows: the extra row only says there is a next page. */
export function pageOf<T, R>(rows: T[], limit: number, present: (row: T) => R, position: (row: T) => Position | { seq: number }) {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { data: kept.map(present), nextCursor: more ? encodeCursor(position(kept[kept.length - 1]!)) : null };
}
