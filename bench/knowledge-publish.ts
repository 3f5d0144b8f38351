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

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

export async function benchPublish(publishes = 5): Promise<void> {
  console.log('\n## Publish while serving (worker-thread rebuild, atomic swap)\n');
  console.log('Longest serving-thread step: the longest synchronous piece of a rebuild on the serving thread, as thread CPU time');
  console.log('(what it would block on an idle machine) and as wall time (stretched by waiting for a core when the machine is busy).');
  console.log('Event-loop delay: during the publishes, and for as long with the same traffic and no publish (the machine\'s own noise).\n');
  console.log('| help centre | articles | phrasings | publish → swap p50 | worker build p50 | **longest step, CPU p50 / max** | wall p50 / max | slowest step | loop delay max: publishing / baseline | matches answered |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |');
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
    const cpu: number[] = [];
    const wall: number[] = [];
    const slowest = new Map<string, number>();
    // The first build (worker start, JIT) is not a publish: warm up, then measure.
    await runtime.refresh();
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    histogram.enable();
    const started = performance.now();
    for (let i = 0; i < publishes; i++) {
      const article = (await store.knowledge.get('refund-policy'))!;
      const t0 = performance.now();
      await store.knowledge.save(article.id, article.version, { body: `${article.body}\n\nEdit ${i}.` }, { id: null, name: 'bench' }, 'save');
      await runtime.changed();
      swaps.push(performance.now() - t0);
      builds.push(runtime.lastBuildMs);
      const steps = runtime.lastSteps;
      const top = steps.reduce((a, b) => ((b.cpuMs ?? b.wallMs) > (a.cpuMs ?? a.wallMs) ? b : a));
      cpu.push(top.cpuMs ?? Number.NaN);
      wall.push(Math.max(...steps.map((x) => x.wallMs)));
      slowest.set(top.name, (slowest.get(top.name) ?? 0) + 1);
    }
    const publishing = histogram.max / 1e6;
    histogram.reset();
    await new Promise((resolve) => setTimeout(resolve, performance.now() - started));
    const baseline = histogram.max / 1e6;
    histogram.disable();
    clearInterval(traffic);
    const phrasings = doc.intents.reduce((n, x) => n + x.examples.length, 0);
    const which = [...slowest].map(([name, n]) => `${name} ×${n}`).join(', ');
    console.log(
      `| ${label} | ${doc.articles.length} | ${phrasings} | ${p50(swaps).toFixed(0)} ms | ${p50(builds).toFixed(0)} ms | **${ms(p50(cpu))} / ${ms(Math.max(...cpu))}** | ${ms(p50(wall))} / ${ms(Math.max(...wall))} | ${which} | ${ms(publishing)} / ${ms(baseline)} | ${answered} |`,
    );
    await runtime.close();
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPublish();
