import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore } from '../../server/store/open';
import type { Store } from '../../server/store/types';

/** PostgreSQL used by the tests: the CI machines run one on 127.0.0.1 (trust auth). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachable: Promise<boolean> | undefined;
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

/** A fresh schema per store, so test runs and parallel test files never collide. */
export const freshSchema = () => `t_${randomBytes(6).toString('hex')}`;

export async function dropSchema(schema: string, databaseUrl = TEST_DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

/** A PostgreSQL store in its own schema; closing it drops the schema. */
export async function openPostgresStore(): Promise<Store> {
  const schema = freshSchema();
  const store = await openStore({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema });
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await dropSchema(schema);
  };
  return store;
}

export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  open(): Promise<Store>;
}

export const BACKENDS: StoreBackend[] = [
  { name: 'sqlite', open: () => openStore({ sqlitePath: ':memory:' }) },
  { name: 'postgres', open: openPostgresStore },
];

/** The PostgreSQL half of a suite runs whenever a server is reachable; in CI it must be. */
export async function backendAvailable(backend: StoreBackend): Promise<boolean> {
  return backend.name === 'sqlite' || postgresRequiredInCi('the store suites');
}

/**
 * For suites that must also run on PostgreSQL: true when it is reachable. In CI (CI=true) an
 * unreachable PostgreSQL fails the run instead of quietly skipping half the suite; locally it
 * skips with a message.
 */
export async function postgresRequiredInCi(suite: string): Promise<boolean> {
  if (await postgresReachable()) return true;
  const ci = process.env.CI;
  if (ci === 'true' || ci === '1') throw new Error(`PostgreSQL not reachable at ${TEST_DATABASE_URL}: ${suite} must run on PostgreSQL in CI`);
  console.warn(`[skip] PostgreSQL not reachable at ${TEST_DATABASE_URL}: ${suite} (PostgreSQL half) skipped`);
  return false;
}
