/**
 * `npm run kb:export -- DIR` — write the knowledge base (every state) as a Markdown folder:
 * articles/<category>/<slug>.md, nlu.yml (Rasa NLU YAML 3.1) and categories.yml.
 */
import { resolve } from 'node:path';
import { loadConfig, loadDotEnv } from '../server/config';
import { writeFolder } from '../server/kb/folder';
import { openStore } from '../server/store/open';

const dir = process.argv.slice(2).find((a) => a !== '--');
if (!dir) {
  console.error('usage: npm run kb:export -- DIR');
  process.exit(2);
}
loadDotEnv();
const config = loadConfig();
const store = await openStore({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), ...(config.databaseSchema ? { pgSchema: config.databaseSchema } : {}), dataDir: config.dataDir });
try {
  const files = writeFolder(await store.knowledge.document(), resolve(dir));
  console.log(`exported ${files.length - 2} articles, nlu.yml and categories.yml to ${dir}`);
} finally {
  await store.close();
}
