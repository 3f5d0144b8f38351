import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createAnswerdesk, type Answerdesk } from '../../server/app';
import { loadConfig } from '../../server/config';
import { importOnFirstStart } from '../../server/kb/first-start';
import { channelFor, PgBus } from '../../server/realtime/pg-bus';
import { openStore } from '../../server/store/open';
import { SAMPLE_KB_DIR } from '../support/fixtures';
import { ADMIN_TOKEN } from '../support/server';
import { TEST_DATABASE_URL } from '../support/stores';

export interface KbInstance {
  desk: Answerdesk;
  url: string;
  /** fetch with the admin API token (an admin: publishes). */
  api(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** An instance as main.ts starts one: PostgreSQL, LISTEN/NOTIFY bus, the sample imported on first start, knowledge built from the database. */
export async function startKbInstance(schema: string): Promise<KbInstance> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'answerdesk-kb-')),
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    BUSINESS_HOURS: 'Mon-Sun 00:00-24:00',
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: schema,
    KNOWLEDGE_DIR: SAMPLE_KB_DIR,
  });
  const log = pino({ level: 'silent' });
  const store = await openStore({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema });
  const bus = await PgBus.start({ connectionString: TEST_DATABASE_URL, channel: channelFor(schema), log });
  await importOnFirstStart(store, SAMPLE_KB_DIR, log);
  const desk = await createAnswerdesk({ config, log, store, bus });
  const port = await desk.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  return {
    desk,
    url,
    api: (path, init = {}) => fetch(url + path, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) } }),
    async close() {
      await desk.close();
      await store.close();
    },
  };
}
