/**
 * Builds the agent console (a preact single-page app) with vite into dist/console:
 *   index.html + hashed JS/CSS under assets/ (served by the server under /console/).
 * No inline scripts (the CSP is script-src 'self'); the dashboard and uPlot are a lazy chunk.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type InlineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface BuiltFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** The vite config; exported so console/vite.config.ts (dev server) can reuse it. */
export function consoleViteConfig(outDir: string): InlineConfig {
  return {
    configFile: false,
    root: here,
    base: '/console/',
    logLevel: 'warn',
    publicDir: false,
    mode: 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir,
      emptyOutDir: true,
      copyPublicDir: false,
      minify: true,
      sourcemap: false,
      target: 'es2020',
      reportCompressedSize: false,
      // The polyfill would be injected as code we do not need (every supported browser has modulepreload).
      modulePreload: { polyfill: false },
      // Keep everything as files: the CSP allows no inline scripts, and data: fonts are not needed.
      assetsInlineLimit: 0,
    },
  };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else out.push(full);
  }
  return out;
}

export async function buildConsole({ outDir = 'dist/console' }: { outDir?: string } = {}): Promise<BuiltFile[]> {
  const out = path.resolve(outDir);
  await build(consoleViteConfig(out));
  const files: BuiltFile[] = [];
  for (const full of (await walk(out)).sort()) {
    const data = await readFile(full);
    files.push({ file: path.join(outDir, path.relative(out, full)), bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length });
  }
  return files;
}
