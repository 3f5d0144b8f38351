/**
 * `npm run kb:import -- DIR` — replace the knowledge base with a Markdown folder
 * (articles/<category>/<slug>.md + nlu.yml [+ categories.yml]), as `kb:export` writes it.
 * Running instances pick the new version up through the realtime bus (PostgreSQL) or at their
 * next version check. Exit codes: 0 ok, 1 invalid content, 2 bad arguments.
 */
import { resolve } from 'node:path';
import { loadConfig, loadDotEnv } from '../server/config';
import { readFolder } from '../server/kb/folder';
import { checkContent } from '../server/kb/validate';
import { announceKnowledgeVersion } from '../server/kb/announce';
import { openStore } from '../server/store/open';

const dir = process.argv.slice(2).find((a) => a !== '--');
if (!dir) {
  console.error('usage: npm run kb:import -- DIR');
  process.exit(2);
}
loadDotEnv();
const config = loadConfig();
let doc;
try {
  doc = readFolder(resolve(dir));
  for (const a of doc.articles) checkContent({ ...a, phrasings: [] });
} catch (err) {
  console.error(`error: ${(err as Error).message}`);
  process.exit(1);
}
const store = await openStore({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), ...(config.databaseSchema ? { pgSchema: config.databaseSchema } : {}), dataDir: config.dataDir });
try {
  await store.knowledge.replaceAll(doc, { id: null, name: 'kb:import' });
  const version = await store.knowledge.publishedVersion();
  if (config.databaseUrl) await announceKnowledgeVersion(config.databaseUrl, config.databaseSchema, version);
  const phrasings = doc.intents.reduce((n, i) => n + i.examples.length, 0);
  console.log(`imported ${doc.articles.length} articles, ${doc.intents.length} intents (${phrasings} phrasings), ${doc.outOfScope.length} out-of-scope examples from ${dir}; knowledge version ${version}`);
} finally {
  await store.close();
}
