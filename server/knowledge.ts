import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { buildBundleFromDirectory, type KnowledgeBundle, readBundle, writeBundle } from '../bot/knowledge-bundle';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(path) : st.mtimeMs);
  }
  return newest;
}

/**
 * Load the prebuilt knowledge index; rebuild it when it is missing or older than the content
 * (so editing an article and restarting is enough, even without `npm run build`).
 */
export function loadKnowledge(contentDir: string, indexPath: string, log: Logger): KnowledgeBundle {
  if (existsSync(indexPath) && statSync(indexPath).mtimeMs >= newestMtime(contentDir)) {
    try {
      const bundle = readBundle(indexPath);
      log.info({ indexPath, articles: bundle.kb.articles.length, intents: bundle.kb.intents.length }, 'knowledge index loaded');
      return bundle;
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'knowledge index unusable; rebuilding');
    }
  }
  const started = Date.now();
  const bundle = buildBundleFromDirectory(contentDir);
  writeBundle(bundle, indexPath);
  log.info({ indexPath, ms: Date.now() - started, articles: bundle.kb.articles.length }, 'knowledge index built');
  return bundle;
}
