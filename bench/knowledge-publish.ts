/**
 * (Load average matters: on a 2-core machine shared with other work, CPU starvation shows up as
 * event-loop delay and stretches every step; the p50 of the longest step is the steadier figure.)
 *
 * Publishing while serving: each publish rebuilds the search index and the classifier in the
 * worker thread and swaps them in; the serving thread keeps answering (a match every 2 ms
 * stands in for traffic). Prints publish → swap time and the serving thread's event-loop delay
 * (perf_hooks.monitorEventLoopDelay) during the rebuilds. `node --import tsx bench/knowledge-publish.ts`
 * or as part of `npm run bench`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { DEFAULT_THRESHOLDS } from '../bot/thresholds';
import { readFolder } from '../server/kb/folder';
import { KnowledgeRuntime } from '../server/kb/runtime';
import type { KbDocument } from '../server/kb/types';
import { LocalBus } from '../server/realtime/bus';
import { openStore } from '../server/store/open';

/** The sample, or the sample with `extra` synthetic articles of 20 phrasings each (a bigger help centre). */
function helpCentre(extra: number): KbDocument {
  const doc = readFolder('knowledge/content');
  for (let i = 0; i < extra; i++) {
    const id = `synthetic-${i}`;
    doc.articles.push({ id, title: `Synthetic topic ${i} widget${i}`, category: 'general', tags: [`tag${i}`], locale: 'en', summary: `About widget${i}.`, body: `## Widget${i}\n\n${'Configure the widget and its options. '.repeat(40)}`, state: 'published', intents: [`synthetic_${i}`], sourcePath: null });
    doc.intents.push({ name: `synthetic_${i}`, articleId: id, response: null, examples: Array.from({ length: 20 }, (_, j) => `how do I use widget${i} option ${j} for team ${j % 5}`) });
  }
  return doc;
}

export async function benchPublish(publishes = 5): Promise<void> {
  console.log('\n## Publish while serving (worker-thread rebuild, atomic swap)\n');
  console.log('| help centre | articles | phrasings | publish → swap p50 | max | worker build p50 | longest serving-thread step p50 / max | event-loop delay max | p99 | matches answered during rebuilds |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [label, extra] of [['sample', 0], ['sample + 300 synthetic', 300]] as const) {
    const store = await openStore({ sqlitePath: ':memory:' });
    const doc = helpCentre(extra);
    await store.knowledge.replaceAll(doc, { id: null, name: 'bench' });
    const runtime = await KnowledgeRuntime.create({ store, bus: new LocalBus(), log: pino({ level: 'silent' }), thresholds: DEFAULT_THRESHOLDS });
    const questions = ['I forgot my password', 'how do I get a refund', 'can I pay by invoice', 'my card was declined'];
    let answered = 0;
    const traffic = setInterval(() => {
      runtime.matcher.match(questions[answered++ % questions.length]!);
    }, 2);
    const swaps: number[] = [];
    const builds: number[] = [];
    const steps: number[] = [];
    // The first build (worker start, JIT) is not a publish: warm up, then measure.
    await runtime.refresh();
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    for (let i = 0; i < publishes; i++) {
      const article = (await store.knowledge.get('refund-policy'))!;
      const t0 = performance.now();
      await store.knowledge.save(article.id, article.version, { body: `${article.body}\n\nEdit ${i}.` }, { id: null, name: 'bench' }, 'save');
      await runtime.changed();
      swaps.push(performance.now() - t0);
      builds.push(runtime.lastBuildMs);
      steps.push(runtime.builder.longestStepMs);
    }
    histogram.disable();
    clearInterval(traffic);
    const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const phrasings = doc.intents.reduce((n, x) => n + x.examples.length, 0);
    console.log(
      `| ${label} | ${doc.articles.length} | ${phrasings} | ${p50(swaps).toFixed(0)} ms | ${Math.max(...swaps).toFixed(0)} ms | ${p50(builds).toFixed(0)} ms | **${p50(steps).toFixed(1)} ms** / ${Math.max(...steps).toFixed(1)} ms | ${(histogram.max / 1e6).toFixed(1)} ms | ${(histogram.percentile(99) / 1e6).toFixed(1)} ms | ${answered} |`,
    );
    await runtime.close();
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPublish();
