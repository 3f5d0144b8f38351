import type { Logger } from 'pino';
import type { Store } from '../store/types';
import { readFolder } from './folder';

/**
 * On first start (no article stored yet) import the help centre folder (KNOWLEDGE_DIR, the
 * sample by default). Instances starting together on one PostgreSQL race here: the import is one
 * transaction, so one wins and the others find the knowledge base filled.
 */
export async function importOnFirstStart(store: Store, dir: string, log: Logger): Promise<void> {
  if (!(await store.knowledge.isEmpty())) return;
  const doc = readFolder(dir);
  try {
    await store.knowledge.replaceAll(doc, { id: null, name: 'first start' });
    log.info({ dir, articles: doc.articles.length }, 'knowledge base imported on first start');
  } catch (err) {
    if (await store.knowledge.isEmpty()) throw err;
  }
}
