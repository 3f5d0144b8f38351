import type { Kysely, LogEvent } from 'kysely';
import pg from 'pg';
import { type OpenStoreOptions, openStore } from './open';
import type { Database } from './schema';
import type { Store } from './types';

/**
 * Counting database round trips, for benches and tests that want to know what a request
 * costs in queries. Not used by the server.
 *
 * - `openCountingStore` opens the same store as `openStore` (same backends, pragmas, pool
 *   size, schema and migrations) through `openStore`'s `log` option (kysely's query log hook), so every statement the
 *   store sends — transaction BEGIN/COMMIT included — passes through a `QueryCounter`.
 * - `countPgClientQueries` counts at the `pg` client instead (every `Client#query` in the
 *   process): on PostgreSQL that adds what does not go through kysely, such as the realtime
 *   bus's NOTIFYs.
 */
export class QueryCounter {
  private counting = false;
  total = 0;
  readonly byKind = new Map<string, number>();
  /** When set, the kind of every counted statement is appended, in order. */
  trace: string[] | undefined;

  /** Counting is off until `start()`: migrations and set-up are not counted. */
  start(): void {
    this.counting = true;
  }

  stop(): void {
    this.counting = false;
  }

  reset(): void {
    this.total = 0;
    this.byKind.clear();
  }

  record(statement: string): void {
    if (!this.counting) return;
    this.total++;
    const kind = statementKind(statement);
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
    this.trace?.push(kind);
  }

  /** For kysely's `log` option. */
  readonly log = (event: LogEvent): void => this.record(event.query.sql);
}

const ident = String.raw`"?([a-zA-Z_][a-zA-Z0-9_]*)"?(?:\."?([a-zA-Z_][a-zA-Z0-9_]*)"?)?`;
const table = (m: RegExpMatchArray) => m[2] ?? m[1]!;

/**
 * "select conversations", "insert messages", "begin"; a statement with CTEs is named by what it
 * writes ("with: update conversations + insert messages + insert outbox").
 */
export function statementKind(statement: string): string {
  const text = statement.replace(/\s+/g, ' ').trim();
  const verb = (/^[a-zA-Z]+/.exec(text)?.[0] ?? '?').toLowerCase();
  if (verb === 'with') {
    // Tables by verb, in order of first appearance: "with: update conversations; insert messages, outbox".
    const writes = new Map<string, string[]>();
    for (const m of text.matchAll(new RegExp(String.raw`\b(insert into|update|delete from) ${ident}`, 'gi'))) {
      const w = m[1]!.split(' ')[0]!.toLowerCase();
      const tables = writes.get(w) ?? [];
      if (!tables.includes(table(m))) tables.push(table(m));
      writes.set(w, tables);
    }
    return `with: ${writes.size ? [...writes].map(([w, tables]) => `${w} ${tables.join(', ')}`).join('; ') : 'select'}`;
  }
  const pattern: Record<string, RegExp> = {
    select: new RegExp(String.raw`\bfrom ${ident}`, 'i'),
    insert: new RegExp(String.raw`^insert into ${ident}`, 'i'),
    update: new RegExp(String.raw`^update ${ident}`, 'i'),
    delete: new RegExp(String.raw`^delete from ${ident}`, 'i'),
  };
  const m = pattern[verb] ? text.match(pattern[verb]) : null;
  if (verb === 'select' && /pg_notify/i.test(text)) return 'select pg_notify (bus)';
  return m ? `${verb} ${table(m)}` : verb;
}

/** `openStore`, with every statement counted by `counter` (see the module comment). */
export async function openCountingStore(
  options: OpenStoreOptions,
  counter = new QueryCounter(),
): Promise<{ store: Store & { readonly db: Kysely<Database> }; counter: QueryCounter }> {
  const store = (await openStore({ ...options, log: counter.log })) as Store & { readonly db: Kysely<Database> };
  return { store, counter };
}

/**
 * Count every `pg` client query in this process (pools included) into `counter` until the
 * returned function is called. Counts round trips to PostgreSQL whoever sends them.
 */
export function countPgClientQueries(counter: QueryCounter): () => void {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '?');
    counter.record(text);
    return original.apply(this, args);
  };
  return () => {
    proto.query = original;
  };
}
