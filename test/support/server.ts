import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { createAnswerdesk, type Answerdesk } from '../../server/app';
import { loadConfig } from '../../server/config';
import { openStore } from '../../server/store/open';
import { bundleFor, FIXTURE_KB_DIR } from './fixtures';
import { dropSchema, freshSchema } from './stores';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestServer {
  desk: Answerdesk;
  url: string;
  port: number;
  close(): Promise<void>;
  /** fetch against the server with the admin API token. */
  admin(path: string, init?: RequestInit): Promise<Response>;
}

export interface TestServerOptions {
  kbDir?: string;
  /**
   * With DATABASE_URL in env: `'fresh'` gives this server a new PostgreSQL schema of its own
   * (DATABASE_SCHEMA), dropped again on close, so test servers never see each other's rows.
   * Without it the server uses DATABASE_SCHEMA from env, or `public`.
   */
  pgSchema?: 'fresh';
  /** Replaces the wait after a failed sign-in (the security tests record the delays). */
  loginDelay?: (ms: number) => Promise<void>;
  /** The server's logger (default: silent). */
  log?: Logger;
}

/** A real server on 127.0.0.1 with a throwaway SQLite database (or DATABASE_URL in env). */
export async function startTestServer(env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'answerdesk-test-'));
  const ownSchema = env.DATABASE_URL && options.pgSchema === 'fresh' ? freshSchema() : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    // Business hours all week so tests do not depend on the clock.
    BUSINESS_HOURS: 'Mon-Sun 00:00-24:00',
    ...env,
    ...(ownSchema ? { DATABASE_SCHEMA: ownSchema } : {}),
  });
  const store = await openStore(
    config.databaseUrl
      ? { databaseUrl: config.databaseUrl, ...(config.databaseSchema ? { pgSchema: config.databaseSchema } : {}) }
      : { sqlitePath: join(dataDir, 'test.sqlite') },
  );
  let desk: Answerdesk;
  let port: number;
  try {
    desk = await createAnswerdesk({ config, log: options.log ?? pino({ level: 'silent' }), store, bundle: bundleFor(options.kbDir ?? FIXTURE_KB_DIR), ...(options.loginDelay ? { loginDelay: options.loginDelay } : {}) });
    port = await desk.listen(0, '127.0.0.1');
  } catch (err) {
    await store.close().catch(() => undefined);
    if (ownSchema) await dropSchema(ownSchema, config.databaseUrl).catch(() => undefined);
    throw err;
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    desk,
    url,
    port,
    async close() {
      await desk.close();
      await store.close();
      if (ownSchema) await dropSchema(ownSchema, config.databaseUrl);
    },
    admin: (path, init = {}) =>
      fetch(url + path, {
        ...init,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
      }),
  };
}
