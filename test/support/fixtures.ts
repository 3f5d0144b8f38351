import { join } from 'node:path';
import { buildBundleFromDirectory, type KnowledgeBundle } from '../../bot/knowledge-bundle';

export const FIXTURE_KB_DIR = join(import.meta.dirname, '..', 'fixtures', 'kb');
export const SAMPLE_KB_DIR = join(import.meta.dirname, '..', '..', 'knowledge', 'content');

const cache = new Map<string, KnowledgeBundle>();

/** Bundles are deterministic, so tests share one build per content folder. */
export function bundleFor(dir: string): KnowledgeBundle {
  let bundle = cache.get(dir);
  if (!bundle) {
    bundle = buildBundleFromDirectory(dir);
    cache.set(dir, bundle);
  }
  return bundle;
}
