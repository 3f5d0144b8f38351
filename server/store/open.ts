import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { KyselyStore } from './kysely-store';
import { migrateToLatest } from './migrations';
import type { Database } from './schema';
import type { Store } from './types';

export type Dialect = 'sqlite' | 'postgres';

export interface OpenStoreOptions {
  /** postgres://… selects PostgreSQL; otherwise SQLite. */
  databaseUrl?: string;
  /** SQLite file; `:memory:` for throwaway stores. */
  sqlitePath?: string;
  dataDir?: string;
  /** PostgreSQL schema to use instead of `public` (tests give each run its own). */
  pgSchema?: string;
}

/** Open (and migrate) the configured backend. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    const schema = options.pgSchema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}"`);
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    if (schema) await db.schema.createSchema(schema).ifNotExists().execute();
    await migrateToLatest(db, 'postgres', schema);
    return new KyselyStore(db, 'postgres');
  }
  const path = options.sqlitePath ?? join(options.dataDir ?? './data', 'answerdesk.sqlite');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL: readers never block the writer; synchronous=NORMAL is durable across process
  // crashes in WAL mode (only an OS crash can lose the last transactions).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db, 'sqlite');
  return new KyselyStore(db, 'sqlite');
}
