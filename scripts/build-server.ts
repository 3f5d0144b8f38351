/**
 * The production server: `server/main.ts` and the CLI entry points production needs, bundled
 * by esbuild into plain JavaScript under `<outDir>/server/` (ESM, Node 20, source maps), so a
 * deployment runs `node dist/server/main.js` with neither tsx nor vite installed.
 *
 * Packages stay external (`npm ci --omit=dev` installs them next to the bundle); the build
 * fails if the bundle would import a package that is not a production dependency.
 *
 * Files the code reads at run time are copied where it looks for them:
 * - `bot/builtin-intents.yml`: `bot/knowledge-bundle.ts` reads it next to its own module
 *   (`import.meta.url`), which in the bundle is `dist/server/`; the server needs it when it
 *   rebuilds the knowledge index at start (content newer than the index);
 * - `bot/nlu/word-vectors.bin`: the intent classifier's word vectors, read next to
 *   `bot/nlu/word-vectors.ts` (in the bundle, `dist/server/`) whenever it trains or loads;
 * - `widget/demo.html` → `dist/demo.html`: the demo page served at `/` (server/app.ts reads
 *   `widget/demo.html` and falls back to `dist/demo.html`).
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';

/** Output name (without .js) → source entry point. */
export const SERVER_ENTRIES: Record<string, string> = {
  main: 'server/main.ts',
  'agent-add': 'scripts/agent-add.ts',
  'kb-import': 'scripts/kb-import.ts',
  'kb-export': 'scripts/kb-export.ts',
  // The knowledge rebuild's worker thread (server/kb/builder.ts loads it next to main.js).
  'kb-build-worker': 'server/kb/build-worker.ts',
};

/** Run-time files: source → path under outDir. */
export const SERVER_RUNTIME_FILES: Record<string, string> = {
  'bot/builtin-intents.yml': 'server/builtin-intents.yml',
  // The classifier's word vectors (bot/nlu/word-vectors.ts reads them next to its module).
  'bot/nlu/word-vectors.bin': 'server/word-vectors.bin',
  'widget/demo.html': 'demo.html',
};

export function serverBuildOptions(outDir: string): BuildOptions {
  return {
    entryPoints: SERVER_ENTRIES,
    outdir: path.join(outDir, 'server'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    minify: false,
    // Error classes and loggers keep their own names in stack traces and `err.name`.
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  };
}

/** "@slack/bolt/dist/x" → "@slack/bolt", "pino" → "pino". */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export interface ServerBuild {
  files: { file: string; bytes: number }[];
  /** External packages the bundle imports (all production dependencies). */
  packages: string[];
}

export async function buildServer({ outDir = 'dist' }: { outDir?: string } = {}): Promise<ServerBuild> {
  const serverDir = path.join(outDir, 'server');
  rmSync(serverDir, { recursive: true, force: true });
  const result = await build(serverBuildOptions(outDir));

  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies?: Record<string, string> };
  const production = new Set(Object.keys(pkg.dependencies ?? {}));
  const packages = new Set<string>();
  const wrong: string[] = [];
  for (const [file, output] of Object.entries(result.metafile!.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external || isBuiltin(imp.path)) continue;
      const name = packageName(imp.path);
      packages.add(name);
      if (!production.has(name)) wrong.push(`${file} imports "${imp.path}" (${imp.kind}), but ${name} is not in package.json "dependencies"`);
    }
  }
  if (wrong.length) {
    throw new Error(`the server bundle needs packages a production install (npm ci --omit=dev) does not have:\n  ${wrong.join('\n  ')}`);
  }

  for (const [from, to] of Object.entries(SERVER_RUNTIME_FILES)) {
    const dest = path.join(outDir, to);
    mkdirSync(path.dirname(dest), { recursive: true });
    copyFileSync(from, dest);
  }

  const files = Object.entries(result.metafile!.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, output]) => ({ file, bytes: output.bytes }));
  return { files, packages: [...packages].sort() };
}
