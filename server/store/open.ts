import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, type KyselyConfig, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { kyselyStore } from './kysely-store';
import { migrateToLatest } from './migrations';
import { SAFETY_NET_PAGES, SqliteCheckpointer } from './sqlite-checkpointer';
import { SqliteHotPath } from './sqlite-hot-path';
import { PgStatements } from './pg-statements';
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
  /** kysely's query log hook (the bench counts round trips with it). */
  log?: KyselyConfig['log'];
}

/** Open (and migrate) the configured backend. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  // The per-message statements bypass kysely, so they reach its log hook by hand.
  const log = options.log;
  const record = typeof log === 'function' ? (statement: string) => void log({ level: 'query', query: CompiledQuery.raw(statement), queryDurationMillis: 0 }) : undefined;
  if (options.databaseUrl) {
    const schema = options.pgSchema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}"`);
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(options.log ? { log: options.log } : {}) });
    if (schema) {
      // Instances starting together race on IF NOT EXISTS (PostgreSQL can still raise a
      // unique violation); the schema existing afterwards is all that matters.
      await db.schema
        .createSchema(schema)
        .ifNotExists()
        .execute()
        .catch(async (err: unknown) => {
          const found = await sql<{ one: number }>`select 1 as one from pg_namespace where nspname = ${schema}`.execute(db);
          if (!found.rows.length) throw err;
        });
    }
    await migrateToLatest(db, 'postgres', schema);
    return kyselyStore(db, 'postgres', { pg: new PgStatements(pool, record) });
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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), ...(options.log ? { log: options.log } : {}) });
  await migrateToLatest(db, 'sqlite');
  const store = kyselyStore(db, 'sqlite', { sqlite: new SqliteHotPath(sqlite, record) });
  if (path === ':memory:') return store;
  // Checkpoints leave the serving thread (sqlite-checkpointer.ts).
  sqlite.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  const checkpointer = new SqliteCheckpointer(path);
  const close = store.close.bind(store);
  store.close = async () => {
    await checkpointer.stop();
    await close();
  };
  return store;
}

/**
 * kysely prepares every query afresh; preparing costs about as much as running a small
 * query. The store issues a few dozen distinct statements, so keep them (bounded). The store
 * never streams (`iterate`), so a cached statement is never busy when it is reused.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  return new Proxy(sqlite, {
    get(target, prop) {
      if (prop !== 'prepare') {
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (source: string) => {
        let stmt = cache.get(source);
        if (!stmt) {
          stmt = prepare(source);
          if (cache.size >= max) cache.clear();
          cache.set(source, stmt);
        }
        return stmt;
      };
    },
  });
}
