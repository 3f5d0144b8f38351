/**
 * `npm run build`: compile the knowledge index (articles + intents → lunr + classifier) and the
 * widget bundles, and print sizes. Authors edit Markdown, run this, and restart.
 */

import { buildBundleFromDirectory, writeBundle } from '../bot/knowledge-bundle';
import { loadConfig, loadDotEnv } from '../server/config';
import { buildConsole } from '../console/build';
import { buildWidget, WIDGET_BUDGET_GZIP } from '../widget/build';

loadDotEnv();
const config = loadConfig();

const t0 = performance.now();
const bundle = buildBundleFromDirectory(config.knowledgeDir);
const bytes = writeBundle(bundle, config.knowledgeIndex);
console.log(
  `knowledge: ${bundle.kb.articles.length} articles, ${bundle.kb.intents.length} intents → ${config.knowledgeIndex} ` +
    `(${(bytes / 1024).toFixed(0)} KiB) in ${Math.round(performance.now() - t0)} ms`,
);

const files = [...(await buildWidget()), ...(await buildConsole())];
console.table(files.map((f) => ({ file: f.file, bytes: f.bytes, 'gzip bytes': f.gzipBytes, 'gzip KiB': (f.gzipBytes / 1024).toFixed(1) })));
console.log(`widget before the first click: widget.js; panel.js loads on open. Budget ${WIDGET_BUDGET_GZIP} bytes gzipped.`);
const loader = files.find((f) => f.file.endsWith('widget.js'));
if (!loader || loader.gzipBytes > WIDGET_BUDGET_GZIP) {
  console.error(`widget.js is ${loader?.gzipBytes ?? '?'} bytes gzipped; the budget before the first click is ${WIDGET_BUDGET_GZIP}`);
  process.exit(1);
}
