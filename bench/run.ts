/**
 * `npm run bench`: knowledge search and engine figures, printed as tables. Deterministic
 * synthetic help centres (1k, 10k, 100k articles); no network, bounded loops.
 * Options: --sizes 1000,10000 (default 1000,10000,100000) --queries 2000 --no-load (skip bench/load.ts)
 * --load-parts paced,saturated,trips,profile,idle (default all; see bench/load.ts)
 * --metrics-only (only the metrics part, bench/metrics.ts) --no-metrics --metrics-conversations 100000 --no-webhooks (skip bench/webhooks.ts)
 */
import { parseArgs } from 'node:util';
import { ConversationEngine } from '../bot/engine';
import { buildBundleFromDirectory } from '../bot/knowledge-bundle';
import { KnowledgeMatcher } from '../bot/matcher';
import { DEFAULT_THRESHOLDS } from '../bot/thresholds';
import { ArticleSearch } from '../knowledge/search-index';
import { percentile } from '../server/metrics/stats';
import { missQueries, syntheticHelpCentre, syntheticQueries } from './synthetic';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,100000' },
    queries: { type: 'string', default: '2000' },
    'no-load': { type: 'boolean', default: false },
    'load-parts': { type: 'string' },
    'metrics-only': { type: 'boolean', default: false },
    'no-metrics': { type: 'boolean', default: false },
    'metrics-conversations': { type: 'string', default: '100000' },
    'no-webhooks': { type: 'boolean', default: false },
  },
});
if (values['metrics-only']) {
  const { runMetricsBench } = await import('./metrics');
  await runMetricsBench({ conversations: Number(values['metrics-conversations']) });
  process.exit(0);
}
const sizes = values.sizes.split(',').map(Number);
const queryCount = Number(values.queries);

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const heapMiB = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const ms = (n: number | null) => (n === null ? '-' : n.toFixed(3));

// Engine turn: classifier + search + decision + reply, on the sample help centre. Measured
// first, before the synthetic indexes fill the heap (their GC pauses are not the engine's).
const bundle = buildBundleFromDirectory('knowledge/content');
const engine = new ConversationEngine({ matcher: new KnowledgeMatcher({ ...bundle, thresholds: DEFAULT_THRESHOLDS }), articleUrl: (id) => `/help/articles/${id}` });
const texts = bundle.kb.intents.flatMap((i) => i.examples).slice(0, 1000);
const turnTimes: number[] = [];
// Round 0 warms the JIT and is not counted.
for (let round = 0; round < 4; round++) {
  for (const text of texts) {
    const start = performance.now();
    engine.handle({ channel: 'web', conversationId: 'bench', text });
    if (round > 0) turnTimes.push(performance.now() - start);
  }
}
console.log('\nEngine turn (match + decide + replies), sample help centre');
console.table([
  {
    articles: bundle.kb.articles.length,
    intents: bundle.kb.intents.length,
    turns: turnTimes.length,
    'p50 ms': ms(percentile(turnTimes, 50)),
    'p99 ms': ms(percentile(turnTimes, 99)),
  },
]);

const searchRows = [];
for (const size of sizes) {
  const articles = syntheticHelpCentre(size);
  const before = heapMiB();
  let t = performance.now();
  const index = ArticleSearch.fromArticles(articles);
  const buildMs = performance.now() - t;
  const memory = heapMiB() - before;
  t = performance.now();
  const serialized = JSON.stringify(index.toJSON());
  const serializeMs = performance.now() - t;
  t = performance.now();
  const reloaded = ArticleSearch.load(JSON.parse(serialized));
  const loadMs = performance.now() - t;

  const queries = syntheticQueries(articles, queryCount);
  for (const q of queries.slice(0, 50)) reloaded.search(q.text); // warm-up
  const times: number[] = [];
  let at1 = 0;
  let at5 = 0;
  for (const q of queries) {
    const start = performance.now();
    const hits = reloaded.search(q.text, { limit: 5 });
    times.push(performance.now() - start);
    if (hits[0]?.articleId === q.articleId) at1++;
    if (hits.some((h) => h.articleId === q.articleId)) at5++;
  }
  // Questions that match nothing take the longest path (corrections, then the fuzzy fallback).
  const missTimes: number[] = [];
  for (const text of missQueries(Math.min(500, queryCount))) {
    const start = performance.now();
    reloaded.search(text, { limit: 5 });
    missTimes.push(performance.now() - start);
  }
  searchRows.push({
    articles: size,
    'build ms': Math.round(buildMs),
    'serialize ms': Math.round(serializeMs),
    'load ms': Math.round(loadMs),
    'index MiB (json)': (serialized.length / 2 ** 20).toFixed(1),
    'heap MiB': memory.toFixed(0),
    'search p50 ms': ms(percentile(times, 50)),
    'search p99 ms': ms(percentile(times, 99)),
    'miss p99 ms': ms(percentile(missTimes, 99)),
    'recall@1': (at1 / queries.length).toFixed(3),
    'recall@5': (at5 / queries.length).toFixed(3),
  });
  console.error(`… ${size} articles done`);
}
console.log('\nKnowledge search (lunr + fuzzy fallback), synthetic help centres, queries with typos in half of them');
console.table(searchRows);

// Dashboard and CSV on a 90-day history (bench/metrics.ts); --no-metrics skips it.
if (!values['no-metrics']) {
  const { runMetricsBench } = await import('./metrics');
  await runMetricsBench({ conversations: Number(values['metrics-conversations']) });
}

// Server processes under widget load (bench/load.ts); --no-load skips it.
if (!values['no-load']) {
  const { runLoadBench, PARTS } = await import('./load');
  const parts = values['load-parts']?.split(',').filter((p): p is (typeof PARTS)[number] => (PARTS as readonly string[]).includes(p));
  await runLoadBench(parts ? { parts } : {});
}

// Publishing while serving (issue 14): worker-thread rebuild, swap, event-loop delay.
await (await import('./knowledge-publish')).benchPublish();
// Webhooks: request-path cost of events and delivery latency to a local receiver (bench/webhooks.ts).
if (!values['no-webhooks']) await (await import('./webhooks')).webhookBench();
