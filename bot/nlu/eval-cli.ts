/**
 * npm run eval -- --train FILE.yml --cases FILE.jsonl [--cases FILE2.jsonl ...]
 *                 [--shots K] [--holdout F] [--seed S] [--runs N] [--strict-clarify]
 *
 * Trains the intent classifier on a Rasa NLU YAML file, scores every case at the configured
 * operating point (DEFAULT_THRESHOLDS, overridable with MATCH_ANSWER_THRESHOLD,
 * MATCH_CLARIFY_THRESHOLD, MATCH_CLARIFY_MARGIN), prints a table with the calibration buckets,
 * and as the last line one JSON object with the metrics (the mean when --runs > 1).
 * Exit codes: 0 ok, 1 bad input file, 2 bad arguments.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { evaluate, formatReport, OOS_LABEL, readCases, thresholdsFromEnv, type EvalCase, type EvalMetrics, type EvalReport } from './evaluate';
import { readRasaNlu } from '../../knowledge/rasa';
import { toTrainingExamples } from './training';
import { applyRegime } from './sampling';
import { formatLoop, runLearningLoop } from './learning-loop';

const USAGE = `usage: npm run eval -- --train FILE.yml --cases FILE.jsonl [--cases FILE2.jsonl ...] [options]

  --train FILE.yml     Rasa NLU training data (version "3.1")
  --cases FILE.jsonl   evaluation cases, one {"text": "...", "intent": "..."} per line;
                       intent "oos" marks text the bot must not answer (repeatable)
  --shots K            train on K phrasings per intent, sampled at random (seeded)
  --holdout F          leave a share F (0–1) of the intents out of training; their cases
                       then count as out of scope
  --seed S             seed of the sampling (default 1)
  --runs N             repeat with seeds S, S+1, … S+N-1 and report the mean (default 1)
  --strict-clarify     a clarification is honest for an out-of-scope case only if none of its
                       options claims it with confidence, and right for an in-scope case only
                       if the right option is offered first
  --learning-loop      start from --shots phrasings per intent (default 5), stream half of the
                       cases through the "Improve the bot" inbox with a simulated reviewer,
                       score the other half before and after (see bot/nlu/learning-loop.ts)
  --batches N          learning loop: review and retrain after each of N batches (default 10)

Thresholds come from bot/thresholds.ts; override with MATCH_ANSWER_THRESHOLD,
MATCH_CLARIFY_THRESHOLD and MATCH_CLARIFY_MARGIN (numbers in [0, 1]).`;

interface CliOptions {
  train: string;
  cases: string[];
  shots?: number;
  holdout?: number;
  seed: number;
  runs: number;
  strictClarify: boolean;
  learningLoop: boolean;
  batches: number;
}

function parse(argv: string[]): CliOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      train: { type: 'string' },
      cases: { type: 'string', multiple: true },
      shots: { type: 'string' },
      holdout: { type: 'string' },
      seed: { type: 'string' },
      runs: { type: 'string' },
      'strict-clarify': { type: 'boolean' },
      'learning-loop': { type: 'boolean' },
      batches: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new Error(`unexpected argument ${positionals[0]}`);
  if (!values.train) throw new Error('--train is required');
  if (!values.cases || values.cases.length === 0) throw new Error('at least one --cases is required');
  const integer = (name: string, raw: string | undefined, min: number): number | undefined => {
    if (raw === undefined) return undefined;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
    return v;
  };
  const holdout = values.holdout === undefined ? undefined : Number(values.holdout);
  if (holdout !== undefined && !(holdout >= 0 && holdout < 1)) throw new Error(`--holdout must be a share in [0, 1), got ${JSON.stringify(values.holdout)}`);
  const shots = integer('shots', values.shots, 1);
  return {
    train: values.train,
    cases: values.cases,
    ...(shots !== undefined ? { shots } : {}),
    ...(holdout !== undefined ? { holdout } : {}),
    seed: integer('seed', values.seed, 0) ?? 1,
    runs: integer('runs', values.runs, 1) ?? 1,
    strictClarify: values['strict-clarify'] === true,
    learningLoop: values['learning-loop'] === true,
    batches: integer('batches', values.batches, 1) ?? 10,
  };
}

const METRIC_KEYS = ['inScopeAccuracy', 'oosRecall', 'oosPrecision', 'closedSetAccuracy', 'trainMs', 'p50Ms', 'p99Ms'] as const;

function mean(reports: readonly EvalReport[]): EvalMetrics {
  const out = {} as EvalMetrics;
  for (const k of METRIC_KEYS) out[k] = reports.reduce((s, r) => s + r.metrics[k], 0) / reports.length;
  return out;
}

export function main(argv: string[]): number {
  let o: CliOptions;
  try {
    const parsed = parse(argv);
    if (parsed === 'help') {
      console.log(USAGE);
      return 0;
    }
    o = parsed;
  } catch (err) {
    console.error(`error: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  try {
    const thresholds = thresholdsFromEnv();
    const allExamples = toTrainingExamples(readRasaNlu(o.train));
    const allCases: EvalCase[] = o.cases.flatMap((f) => readCases(f));
    if (o.learningLoop) {
      const loop = { shots: o.shots ?? 5, seed: o.seed, batches: o.batches };
      const reports = Array.from({ length: o.runs }, (_, run) => runLearningLoop(allExamples, allCases, thresholds, { ...loop, seed: o.seed + run }));
      reports.forEach((r, run) => console.log(formatLoop(r, { ...loop, seed: o.seed + run }) + '\n'));
      const avg = (f: (r: (typeof reports)[number]) => number) => reports.reduce((s, r) => s + f(r), 0) / reports.length;
      console.log(
        JSON.stringify({
          runs: reports.length,
          before: { inScopeAccuracy: avg((r) => r.before.inScopeAccuracy), oosRecall: avg((r) => r.before.oosRecall) },
          after: { inScopeAccuracy: avg((r) => r.after.inScopeAccuracy), oosRecall: avg((r) => r.after.oosRecall) },
          clicks: avg((r) => r.clicks),
          inboxItems: avg((r) => r.inboxItems),
        }),
      );
      return 0;
    }
    const realistic = o.shots !== undefined || (o.holdout ?? 0) > 0;
    const reports: EvalReport[] = [];
    for (let run = 0; run < o.runs; run++) {
      const seed = o.seed + run;
      const { examples, cases, heldOut } = realistic
        ? applyRegime(allExamples, allCases, { ...(o.shots !== undefined ? { shots: o.shots } : {}), ...(o.holdout !== undefined ? { holdout: o.holdout } : {}), seed }, OOS_LABEL)
        : { examples: allExamples, cases: allCases, heldOut: new Set<string>() };
      const report = evaluate(examples, cases, thresholds, {}, { strictClarify: o.strictClarify });
      reports.push(report);
      if (realistic) {
        const intents = new Set(examples.map((e) => e.intent)).size;
        console.log(`run ${run + 1}/${o.runs}: seed ${seed}, ${examples.length} phrasings, ${intents} intents trained, ${heldOut.size} held out`);
      }
      console.log(formatReport(report));
      console.log('');
    }
    const m = o.runs > 1 ? mean(reports) : reports[0]!.metrics;
    if (o.runs > 1) {
      const pct = (v: number) => (v * 100).toFixed(1).padStart(6) + ' %';
      console.log(`mean over ${o.runs} runs (seeds ${o.seed}–${o.seed + o.runs - 1}):`);
      console.log(`inScopeAccuracy      ${pct(m.inScopeAccuracy)}\noosRecall            ${pct(m.oosRecall)}\noosPrecision         ${pct(m.oosPrecision)}\nclosedSetAccuracy    ${pct(m.closedSetAccuracy)}`);
    }
    console.log(JSON.stringify(Object.fromEntries(METRIC_KEYS.map((k) => [k, k === 'trainMs' ? Math.round(m[k]) : m[k]]))));
    return 0;
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = main(process.argv.slice(2));
}
