import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background connection checkpoints the WAL. */
const EVERY_MS = 1000;
/**
 * The serving connection's own automatic checkpoint, kept only as a safety net (if the worker
 * died, the WAL would otherwise grow without bound): 20,000 pages ≈ 80 MB, never reached while
 * the worker runs.
 */
export const SAFETY_NET_PAGES = 20_000;

// CommonJS: an eval'd worker has `require`; better-sqlite3's path comes from the main thread.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.path);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next tick tries again */ }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/**
 * Checkpoints a SQLite database's WAL from a worker thread with its own connection. SQLite's
 * automatic checkpoint runs inside whichever commit crosses the threshold — on the serving
 * thread, copying pages and fsyncing while every socket waits (the paced bench's p99). A PASSIVE
 * checkpoint from another connection never blocks writers, so that work leaves the event loop.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;

  constructor(path: string) {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(SOURCE, { eval: true, workerData: { path, module, everyMs: EVERY_MS } });
    this.worker.unref();
    // A failing checkpointer only costs speed: the serving connection's safety net takes over.
    this.worker.on('error', () => undefined);
  }

  /** Lets the worker finish a checkpoint in progress and close its connection (at most 2 s). */
  async stop(): Promise<void> {
    // Unref'd, the worker alone would not keep the process alive while we wait for it.
    this.worker.ref();
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('stop');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    await this.worker.terminate();
  }
}
