import { createAnswerdesk } from './app';
import { ConfigError, loadConfig, loadDotEnv } from './config';
import { importOnFirstStart } from './kb/first-start';
import { createLogger } from './logger';
import { LocalBus, type RealtimeBus } from './realtime/bus';
import { channelFor, PgBus } from './realtime/pg-bus';
import { openStore } from './store/open';

/** A graceful stop that takes longer than this ends the process with status 1. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

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
  const store = await openStore({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    ...(config.databaseSchema ? { pgSchema: config.databaseSchema } : {}),
    dataDir: config.dataDir,
  });
  // With PostgreSQL, instances tell each other about new messages over LISTEN/NOTIFY, so a
  // visitor on one instance and an agent on another talk live. SQLite means one instance.
  const bus: RealtimeBus = config.databaseUrl
    ? await PgBus.start({ connectionString: config.databaseUrl, channel: channelFor(config.databaseSchema), log })
    : new LocalBus();
  // The knowledge base lives in the database; the help-centre folder seeds it on first start.
  await importOnFirstStart(store, config.knowledgeDir, log);
  const desk = await createAnswerdesk({ config, log, store, bus });
  const port = await desk.listen();
  const base = config.publicUrl ?? `http://localhost:${port}`;
  log.info(
    { port, storage: store.dialect, bus: bus instanceof PgBus ? `postgres:${bus.channel}` : 'local', pid: process.pid },
    `answerdesk is up: demo ${base}/  help centre ${base}/help  console ${base}/console`,
  );
  if (!config.adminApiToken) log.info('ADMIN_API_TOKEN is not set: the ticket API accepts console sessions only');

  // SIGTERM/SIGINT: stop accepting, let widget sockets finish what they are writing and ask
  // them to reconnect (to another instance), close the bus and the database, exit 0.
  // A second signal, or a stop that takes longer than SHUTDOWN_TIMEOUT_MS, exits 1.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without finishing');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'graceful shutdown timed out');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    try {
      await desk.close();
      await store.close();
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
