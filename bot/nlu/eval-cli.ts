/**
 * npm run eval -- --train FILE.yml --cases FILE.jsonl [--cases FILE2.jsonl ...]
 *
 * Trains the intent classifier on a Rasa NLU YAML file, scores every case at the configured
 * operating point (DEFAULT_THRESHOLDS, overridable with MATCH_ANSWER_THRESHOLD,
 * MATCH_CLARIFY_THRESHOLD, MATCH_CLARIFY_MARGIN), prints a table, and as the last line one JSON
 * object with the metrics. Exit codes: 0 ok, 1 bad input file, 2 bad arguments.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { evaluate, formatReport, readCases, thresholdsFromEnv, type EvalCase } from './evaluate';
import { readRasaNlu } from '../../knowledge/rasa';
import { toTrainingExamples } from './training';

const USAGE = `usage: npm run eval -- --train FILE.yml --cases FILE.jsonl [--cases FILE2.jsonl ...]

  --train FILE.yml     Rasa NLU training data (version "3.1")
  --cases FILE.jsonl   evaluation cases, one {"text": "...", "intent": "..."} per line;
                       intent "oos" marks text the bot must not answer (repeatable)

Thresholds come from bot/thresholds.ts; override with MATCH_ANSWER_THRESHOLD,
MATCH_CLARIFY_THRESHOLD and MATCH_CLARIFY_MARGIN (numbers in [0, 1]).`;

export function main(argv: string[]): number {
  let train: string | undefined;
  let casesFiles: string[];
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { train: { type: 'string' }, cases: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new Error(`unexpected argument ${positionals[0]}`);
    train = values.train;
    casesFiles = values.cases ?? [];
    if (!train) throw new Error('--train is required');
    if (casesFiles.length === 0) throw new Error('at least one --cases is required');
  } catch (err) {
    console.error(`error: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  try {
    const thresholds = thresholdsFromEnv();
    const examples = toTrainingExamples(readRasaNlu(train));
    const cases: EvalCase[] = casesFiles.flatMap((f) => readCases(f));
    const report = evaluate(examples, cases, thresholds);
    console.log(formatReport(report));
    const m = report.metrics;
    console.log(
      JSON.stringify({
        inScopeAccuracy: m.inScopeAccuracy,
        oosRecall: m.oosRecall,
        oosPrecision: m.oosPrecision,
        closedSetAccuracy: m.closedSetAccuracy,
        trainMs: Math.round(m.trainMs),
        p50Ms: m.p50Ms,
        p99Ms: m.p99Ms,
      }),
    );
    return 0;
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = main(process.argv.slice(2));
}
