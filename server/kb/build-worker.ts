import { parentPort } from 'node:worker_threads';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildBundle, serializeBundle } from '../../bot/knowledge-bundle';
import { type PackedVectors, packTrainingVectors } from '../../bot/nlu/classifier';

import type { KnowledgeBase } from '../../knowledge/types';

/**
 * Worker thread: trains the classifier and builds the search index for a knowledge base, off
 * the serving thread. The parts go back as separate JSON strings, so the serving thread can
 * load them one macrotask at a time (no single long stall).
 */
export interface BuildRequest {
  id: number;
  kb: KnowledgeBase;
  /** After replying, also write the bundle here (a header line, then the bundle): the next start loads it. */
  cache?: { path: string; header: string };
}
export type BuildResponse = { id: number; ok: true; search: string; classifier: string; weights: Float32Array; vectors?: PackedVectors; builtAt: string; ms: number } | { id: number; ok: false; error: string };

/** Best effort: without the cache the next start trains again, nothing else changes. */
function writeCache(cache: NonNullable<BuildRequest['cache']>, bundle: ReturnType<typeof buildBundle>): void {
  try {
    mkdirSync(dirname(cache.path), { recursive: true });
    const tmp = `${cache.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${cache.header}\n${serializeBundle(bundle)}`);
    renameSync(tmp, cache.path);
  } catch {
    // a read-only or missing DATA_DIR: no cache
  }
}

parentPort?.on('message', (req: BuildRequest) => {
  const started = performance.now();
  try {
    const bundle = buildBundle(req.kb);
    // The phrasings' vectors travel as transferred buffers: the serving thread need not rebuild them.
    const vectors = packTrainingVectors(bundle.classifier);
    // So do the weights (most of the model): the JSON the serving thread parses stays small.
    const json = bundle.classifier.toJSON();
    const raw = Buffer.from(String(json.weights), 'base64');
    const weights = new Float32Array(raw.byteLength / 4);
    new Uint8Array(weights.buffer).set(raw);
    const reply: BuildResponse = {
      id: req.id,
      ok: true,
      search: JSON.stringify(bundle.search.toJSON()),
      classifier: JSON.stringify({ ...json, weights: null }),
      weights,
      ...(vectors ? { vectors } : {}),
      builtAt: bundle.builtAt,
      ms: performance.now() - started,
    };
    const buffers = [weights.buffer, ...(vectors ? [vectors.offsets.buffer, vectors.idx.buffer, vectors.val.buffer] : [])] as ArrayBuffer[];
    parentPort!.postMessage(reply, buffers);
    if (req.cache) writeCache(req.cache, bundle);
  } catch (err) {
    parentPort!.postMessage({ id: req.id, ok: false, error: (err as Error).message } satisfies BuildResponse);
  }
});
