/**
 * Builds the two widget bundles with vite (library mode, IIFE, minified, no hashes, no CSS files):
 *   widget.js — the loader sites embed (plain DOM, budget WIDGET_BUDGET_GZIP)
 *   panel.js  — the chat panel (preact), fetched by the loader on first open
 * IIFE allows one entry per build, so vite runs twice.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type InlineConfig } from 'vite';

/** widget.js must stay under this, gzipped: it is on every page of the embedding site. */
export const WIDGET_BUDGET_GZIP = 20 * 1024;
/** panel.js, loaded on the first open, must stay under this, gzipped. */
export const PANEL_BUDGET_GZIP = 25 * 1024;

const here = path.dirname(fileURLToPath(import.meta.url));

export const WIDGET_ENTRIES = [
  { file: 'widget.js', entry: 'src/loader.tsx', name: 'AnswerdeskLoader' },
  { file: 'panel.js', entry: 'src/panel/index.tsx', name: 'AnswerdeskPanel' },
] as const;

export interface BuiltFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** The vite config for one entry; exported so vite.config.ts (and anyone curious) can reuse it. */
export function widgetViteConfig(entry: (typeof WIDGET_ENTRIES)[number], outDir: string): InlineConfig {
  return {
    configFile: false,
    root: here,
    logLevel: 'warn',
    publicDir: false,
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      minify: true,
      sourcemap: false,
      target: 'es2020',
      reportCompressedSize: false,
      lib: {
        entry: path.join(here, entry.entry),
        name: entry.name,
        formats: ['iife'],
        fileName: () => entry.file,
      },
    },
  };
}

/** What loads before the first click (widget.js) over the gzip budget: the problem, or undefined. */
export function widgetBudgetProblem(loaderCode: Buffer, budget = WIDGET_BUDGET_GZIP): string | undefined {
  const gz = gzipSync(loaderCode, { level: 9 }).length;
  return gz > budget ? `widget.js is ${gz} bytes gzipped; the budget before the first click is ${budget}` : undefined;
}

export async function buildWidget({ outDir = 'dist/widget' }: { outDir?: string } = {}): Promise<BuiltFile[]> {
  const out = path.resolve(outDir);
  const files: BuiltFile[] = [];
  for (const entry of WIDGET_ENTRIES) {
    await build(widgetViteConfig(entry, out));
    const code = await readFile(path.join(out, entry.file));
    files.push({ file: path.join(outDir, entry.file), bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length });
  }
  return files;
}
