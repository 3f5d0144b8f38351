import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadClassifier } from '../../bot/nlu/classifier';
import type { KnowledgeBundle } from '../../bot/knowledge-bundle';
import { ArticleSearch } from '../../knowledge/search-index';
import type { KnowledgeBase } from '../../knowledge/types';
import type { BuildRequest, BuildResponse } from './build-worker';
import { type ServingStep, timed, yieldToLoop } from './thread-cpu';

/**
 * Builds knowledge bundles in one long-lived worker thread. From the sources, the worker is the
 * TypeScript file run through tsx; in the production bundle it is `kb-build-worker.js` next to
 * main.js (see scripts/build-server.ts).
 */
export class BundleBuilder {
  private worker: Worker | undefined;
  private nextId = 1;
  /** Each synchronous step the last load took on the serving thread (for the bench). */
  lastSteps: ServingStep[] = [];
  private readonly waiting = new Map<number, { resolve: (r: BuildResponse) => void; reject: (e: Error) => void }>();

  private spawn(): Worker {
    const fromSource = import.meta.url.endsWith('.ts');
    let worker: Worker;
    if (fromSource) {
      // Node 20 does not apply `--import tsx` to worker threads: register tsx inside the worker.
      const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
      const tsx = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
      const entry = new URL('./build-worker.ts', import.meta.url).href;
      worker = new Worker(`import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
    } else {
      worker = new Worker(new URL('./kb-build-worker.js', import.meta.url));
    }
    worker.unref();
    worker.on('message', (r: BuildResponse) => {
      this.waiting.get(r.id)?.resolve(r);
      this.waiting.delete(r.id);
    });
    const fail = (err: Error) => {
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
      if (this.worker === worker) this.worker = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`knowledge build worker exited (${code})`)));
    return worker;
  }

  async build(kb: KnowledgeBase, cache?: BuildRequest['cache']): Promise<KnowledgeBundle & { buildMs: number }> {
    this.worker ??= this.spawn();
    const id = this.nextId++;
    const reply = await new Promise<BuildResponse>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker!.postMessage({ id, kb, ...(cache ? { cache } : {}) } satisfies BuildRequest);
    });
    if (!reply.ok) throw new Error(reply.error);
    // Loading the parts is the serving thread's only heavy work: one step per macrotask, each timed.
    const steps: ServingStep[] = [];
    const step = async <T>(name: string, work: () => T): Promise<T> => {
      await yieldToLoop();
      return timed(steps, name, work);
    };
    const search = await step('load search index', () => ArticleSearch.load(JSON.parse(reply.search)));
    const classifierJson = await step('parse classifier', () => ({ ...(JSON.parse(reply.classifier) as object), weights: reply.weights }) as unknown);
    const classifier = await step('load classifier', () => loadClassifier(classifierJson as Parameters<typeof loadClassifier>[0], reply.vectors));
    this.lastSteps = steps;
    return { kb, search, classifier, builtAt: reply.builtAt, buildMs: reply.ms };
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
