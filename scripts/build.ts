/**
 * `npm run build [-- TARGET… ] [-- --force] [-- --out-dir DIR]`: builds what changed.
 *
 * Targets, in order:
 *   knowledge  articles + intents → lunr + classifier index (KNOWLEDGE_INDEX, default dist/knowledge.json)
 *   widget     dist/widget/widget.js + panel.js (vite), with the size budget check
 *   console    dist/console/ (vite)
 *   server     dist/server/main.js + agent-add.js (esbuild), dist/demo.html: what production runs
 *
 * Each target's inputs are hashed (scripts/build-stamps.ts) and compared with the stamp of its
 * last successful build in `<out-dir>/.build-stamps.json`; unchanged targets are skipped.
 * `--force` rebuilds everything named. `npm start` builds knowledge, widget and console.
 * `--out-dir` (default dist) moves the widget, console, server and stamps elsewhere (the
 * production test uses it so it never rewrites the dist/ other tests read).
 */
import { readFileSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildBundleFromDirectory, writeBundle } from '../bot/knowledge-bundle';
import { buildConsole } from '../console/build';
import { loadConfig, loadDotEnv } from '../server/config';
import { buildWidget, PANEL_BUDGET_GZIP, WIDGET_BUDGET_GZIP, WIDGET_ENTRIES, type BuiltFile, widgetBudgetProblem } from '../widget/build';
import { buildServer, SERVER_ENTRIES, SERVER_RUNTIME_FILES } from './build-server';
import { filesUnder, hashInputs, importGraph, isUpToDate, readStamps, type Stamps, writeStamps } from './build-stamps';

const TARGETS = ['knowledge', 'widget', 'console', 'server'] as const;
type TargetName = (typeof TARGETS)[number];

interface Target {
  /** Files whose contents decide the output (relative to the repository root). */
  inputs(): Promise<string[]>;
  /** Settings that change the output without being a file (where it is written, …). */
  settings: string;
  /** Files that must exist for the target to count as built. */
  outputs: string[];
  /** Builds; returns a one-line summary. */
  build(): Promise<string>;
  /** Runs whether built or skipped (e.g. the widget's size budget). */
  check?(): void;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    force: { type: 'boolean', default: false },
    'out-dir': { type: 'string', default: 'dist' },
  },
});
const unknown = positionals.filter((p) => !(TARGETS as readonly string[]).includes(p));
if (unknown.length) {
  console.error(`unknown build target ${unknown.join(', ')}; targets are ${TARGETS.join(', ')}`);
  process.exit(2);
}
const selected = TARGETS.filter((t) => positionals.length === 0 || positionals.includes(t));
const outDir = values['out-dir'];

loadDotEnv();
// The build needs the knowledge paths only; it must not demand SECRET/PUBLIC_URL when the
// build environment happens to say NODE_ENV=production.
const config = loadConfig({ ...process.env, NODE_ENV: 'development' });

/** Inputs of every target: the build code itself and the exact package versions. */
const COMMON = ['scripts/build.ts', 'scripts/build-stamps.ts', 'package-lock.json'];
const rel = (p: string) => path.relative(process.cwd(), path.resolve(p));

const sizes: BuiltFile[] = [];

function gzipTable(files: BuiltFile[]): void {
  console.table(files.map((f) => ({ file: f.file, bytes: f.bytes, 'gzip bytes': f.gzipBytes, 'gzip KiB': (f.gzipBytes / 1024).toFixed(1) })));
}

function newestMtime(files: string[]): number {
  return Math.max(0, ...files.map((f) => statSync(f).mtimeMs));
}

const targets: Record<TargetName, Target> = {
  knowledge: {
    inputs: async () => [
      ...COMMON,
      ...filesUnder(config.knowledgeDir),
      // The library code that shapes the index: parsing, search index, classifier.
      ...(await importGraph(['bot/knowledge-bundle.ts'])),
      'bot/builtin-intents.yml',
      'bot/nlu/word-vectors.bin',
    ],
    settings: `content=${rel(config.knowledgeDir)} index=${rel(config.knowledgeIndex)}`,
    outputs: [config.knowledgeIndex],
    async build() {
      const t0 = performance.now();
      const bundle = buildBundleFromDirectory(config.knowledgeDir);
      const bytes = writeBundle(bundle, config.knowledgeIndex);
      return (
        `${bundle.kb.articles.length} articles, ${bundle.kb.intents.length} intents → ${config.knowledgeIndex} ` +
        `(${(bytes / 1024).toFixed(0)} KiB) in ${Math.round(performance.now() - t0)} ms`
      );
    },
    check() {
      // The server rebuilds the index at start when a content file is newer than it (see
      // server/knowledge.ts). A checkout can touch files without changing them: the index is
      // still right, so bring its time forward rather than let the server rebuild it.
      const content = filesUnder(config.knowledgeDir);
      if (statSync(config.knowledgeIndex).mtimeMs < newestMtime(content)) {
        const now = new Date();
        utimesSync(config.knowledgeIndex, now, now);
      }
    },
  },
  widget: {
    inputs: async () => [
      ...COMMON,
      'widget/build.ts',
      'tsconfig.json',
      ...(await importGraph(
        WIDGET_ENTRIES.map((e) => path.join('widget', e.entry)),
        { platform: 'browser' },
      )),
    ],
    settings: `out=${rel(path.join(outDir, 'widget'))}`,
    outputs: WIDGET_ENTRIES.map((e) => path.join(outDir, 'widget', e.file)),
    async build() {
      const t0 = performance.now();
      const files = await buildWidget({ outDir: path.join(outDir, 'widget') });
      sizes.push(...files);
      return `${files.map((f) => f.file).join(', ')} in ${Math.round(performance.now() - t0)} ms`;
    },
    check() {
      const loader = path.join(outDir, 'widget', 'widget.js');
      const gz = gzipSync(readFileSync(loader), { level: 9 }).length;
      console.log(`widget before the first click: widget.js (${gz} bytes gzipped); panel.js loads on open. Budget ${WIDGET_BUDGET_GZIP} bytes gzipped.`);
      const panelGz = gzipSync(readFileSync(path.join(outDir, 'widget', 'panel.js')), { level: 9 }).length;
      console.log(`panel.js (on open): ${panelGz} bytes gzipped. Budget ${PANEL_BUDGET_GZIP} bytes gzipped.`);
      const problem = widgetBudgetProblem(readFileSync(loader));
      if (problem) {
        console.error(problem);
        process.exit(1);
      }
      if (panelGz > PANEL_BUDGET_GZIP) {
        console.error(`panel.js is ${panelGz} bytes gzipped; its budget is ${PANEL_BUDGET_GZIP}`);
        process.exit(1);
      }
    },
  },
  console: {
    inputs: async () => {
      // vite starts from index.html: its /src/… script and stylesheet are the entry points.
      const html = readFileSync('console/index.html', 'utf8');
      const entries = [...html.matchAll(/(?:src|href)="\/(src\/[^"]+)"/g)].map((m) => path.join('console', m[1]!));
      return [...COMMON, 'console/build.ts', 'console/index.html', 'tsconfig.json', ...(await importGraph(entries, { platform: 'browser' }))];
    },
    settings: `out=${rel(path.join(outDir, 'console'))}`,
    outputs: [path.join(outDir, 'console', 'index.html')],
    async build() {
      const t0 = performance.now();
      const files = await buildConsole({ outDir: path.join(outDir, 'console') });
      sizes.push(...files);
      return `${files.length} files in ${path.join(outDir, 'console')} in ${Math.round(performance.now() - t0)} ms`;
    },
  },
  server: {
    inputs: async () => [
      ...COMMON,
      'scripts/build-server.ts',
      // The list of production dependencies decides which imports are allowed.
      'package.json',
      ...Object.keys(SERVER_RUNTIME_FILES),
      ...(await importGraph(Object.values(SERVER_ENTRIES))),
    ],
    settings: `out=${rel(path.join(outDir, 'server'))}`,
    outputs: [
      ...Object.keys(SERVER_ENTRIES).map((name) => path.join(outDir, 'server', `${name}.js`)),
      ...Object.values(SERVER_RUNTIME_FILES).map((to) => path.join(outDir, to)),
    ],
    async build() {
      const t0 = performance.now();
      const built = await buildServer({ outDir });
      const files = built.files.map((f) => `${f.file} (${(f.bytes / 1024).toFixed(0)} KiB)`).join(', ');
      return `${files} in ${Math.round(performance.now() - t0)} ms; external packages: ${built.packages.join(', ')}`;
    },
  },
};

const stamps: Stamps = readStamps(outDir);
const rebuilt: string[] = [];
const upToDate: string[] = [];
const started = performance.now();

for (const name of selected) {
  const target = targets[name];
  let hash: string | undefined;
  let count = 0;
  try {
    ({ hash, files: count } = hashInputs(await target.inputs(), target.settings));
  } catch (err) {
    // esbuild could not follow the imports (vite may still manage): build, and keep no stamp.
    console.warn(`${name}: could not list its inputs (${(err as Error).message.split('\n')[0]}); rebuilding`);
  }
  if (!values.force && hash && isUpToDate(stamps[name], hash, target.outputs)) {
    upToDate.push(name);
    console.log(`${name}: up to date (${count} input files unchanged)`);
  } else {
    // Forget the old stamp first: a build that fails half-way must not look finished next time.
    delete stamps[name];
    writeStamps(outDir, stamps);
    const summary = await target.build();
    if (hash) stamps[name] = { hash, files: count, builtAt: new Date().toISOString() };
    writeStamps(outDir, stamps);
    rebuilt.push(name);
    console.log(`${name}: rebuilt — ${summary}`);
  }
  target.check?.();
}

if (sizes.length) gzipTable(sizes);
console.log(
  `build: rebuilt ${rebuilt.length ? rebuilt.join(', ') : 'nothing'}; up to date ${upToDate.length ? upToDate.join(', ') : 'nothing'} ` +
    `(${Math.round(performance.now() - started)} ms)${values.force ? ' [--force]' : ''}`,
);
