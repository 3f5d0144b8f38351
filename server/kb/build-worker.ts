import { parentPort } from 'node:worker_threads';
import { buildBundle } from '../../bot/knowledge-bundle';
import type { KnowledgeBase } from '../../knowledge/types';

/**
 * Worker thread: trains the classifier and builds the search index for a knowledge base, off
 * the serving thread. The parts go back as separate JSON strings, so the serving thread can
 * load them one macrotask at a time (no single long stall).
 */
export interface BuildRequest {
  id: number;
  kb: KnowledgeBase;
}
export type BuildResponse = { id: number; ok: true; search: string; classifier: string; builtAt: string; ms: number } | { id: number; ok: false; error: string };

parentPort?.on('message', (req: BuildRequest) => {
  const started = performance.now();
  try {
    const bundle = buildBundle(req.kb);
    const reply: BuildResponse = {
      id: req.id,
      ok: true,
      search: JSON.stringify(bundle.search.toJSON()),
      classifier: JSON.stringify(bundle.classifier.toJSON()),
      builtAt: bundle.builtAt,
      ms: performance.now() - started,
    };
    parentPort!.postMessage(reply);
  } catch (err) {
    parentPort!.postMessage({ id: req.id, ok: false, error: (err as Error).message } satisfies BuildResponse);
  }
});
