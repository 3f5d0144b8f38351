import { startTestServer, type TestServer, type TestServerOptions } from '../support/server';
import { postgresRequiredInCi, TEST_DATABASE_URL } from '../support/stores';

/** A whole server on each storage backend: SQLite, and PostgreSQL in a schema of its own. */
export type ServerBackend = 'sqlite' | 'postgres';

/** Backends to run on: PostgreSQL when reachable (in CI it must be: postgresRequiredInCi throws). */
export async function serverBackends(suite: string): Promise<ServerBackend[]> {
  return (await postgresRequiredInCi(suite)) ? ['sqlite', 'postgres'] : ['sqlite'];
}

export function startOn(backend: ServerBackend, env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  return startTestServer({ ...(backend === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL } : {}), ...env }, { pgSchema: 'fresh', ...options });
}
