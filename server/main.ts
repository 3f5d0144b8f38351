import { createAnswerdesk } from './app';
import { ConfigError, loadConfig, loadDotEnv } from './config';
import { loadKnowledge } from './knowledge';
import { createLogger } from './logger';
import { openStore } from './store/open';

/** `npm start`: configuration → storage → knowledge → HTTP + WebSocket, and a graceful stop. */
async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const store = await openStore({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
  const bundle = loadKnowledge(config.knowledgeDir, config.knowledgeIndex, log);
  const desk = await createAnswerdesk({ config, log, store, bundle });
  const port = await desk.listen();
  const base = config.publicUrl ?? `http://localhost:${port}`;
  log.info({ port, storage: store.dialect }, `answerdesk is up: demo ${base}/  help centre ${base}/help  console ${base}/console`);
  if (!config.adminApiToken) log.info('ADMIN_API_TOKEN is not set: the ticket API accepts console sessions only');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await desk.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
