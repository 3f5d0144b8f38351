/**
 * Input hashing for the incremental build (`scripts/build.ts`).
 *
 * Each target (knowledge index, widget, console, server bundle) names the files its output is
 * made from. Their contents are hashed (with the target's settings, e.g. where it writes) and the
 * hash is stored in `<outDir>/.build-stamps.json` after a successful build; the next build skips
 * a target whose hash is unchanged and whose outputs are all still there.
 *
 * Source inputs are found by following imports with esbuild (the bundler tsx and vite already
 * use), so a widget that imports `bot/wording.ts` is rebuilt when that file changes, and adding a
 * file is noticed through the import that was added to reach it. Packages from node_modules are
 * covered by hashing package-lock.json.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { build, type Loader, type Platform } from 'esbuild';

export const STAMPS_FILE = '.build-stamps.json';

export interface Stamp {
  hash: string;
  /** How many files went into the hash (for the curious). */
  files: number;
  builtAt: string;
}

export type Stamps = Record<string, Stamp>;

/** Files a browser or server bundle may reference besides code; esbuild only needs to see them. */
const ASSET_LOADERS: Record<string, Loader> = {
  '.svg': 'file',
  '.png': 'file',
  '.jpg': 'file',
  '.gif': 'file',
  '.webp': 'file',
  '.woff': 'file',
  '.woff2': 'file',
  '.ttf': 'file',
  '.yml': 'text',
  '.yaml': 'text',
  '.md': 'text',
};

/**
 * The project files (not node_modules) that the given entry points import, transitively, as
 * paths relative to `root`. Type-only imports are not followed: they do not change the output.
 */
export async function importGraph(entries: string[], { root = process.cwd(), platform = 'node' as Platform } = {}): Promise<string[]> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries,
    bundle: true,
    write: false,
    metafile: true,
    outdir: path.join(root, '.import-graph'),
    platform,
    format: 'esm',
    packages: 'external',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: ASSET_LOADERS,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs)
    .filter((file) => !file.includes('node_modules/') && !file.includes(':'))
    .map((file) => path.relative(root, path.resolve(root, file)));
}

/** Every file under `dir` (recursively), as paths relative to `root`; none if it does not exist. */
export function filesUnder(dir: string, root = process.cwd()): string[] {
  const abs = path.resolve(root, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    const full = path.join(abs, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, root));
    else if (entry.isFile()) out.push(path.relative(root, full));
  }
  return out;
}

/**
 * One hash over the settings string and the names and contents of `files` (order does not
 * matter, duplicates count once). A missing file hashes as missing, so deleting one changes it.
 */
export function hashInputs(files: string[], settings: string, root = process.cwd()): { hash: string; files: number } {
  const unique = [...new Set(files.map((f) => f.split(path.sep).join('/')))].sort();
  const h = createHash('sha256');
  h.update(`settings\0${settings}\0`);
  for (const file of unique) {
    const abs = path.resolve(root, file);
    const content = existsSync(abs) ? createHash('sha256').update(readFileSync(abs)).digest('hex') : 'missing';
    h.update(`${file}\0${content}\0`);
  }
  return { hash: h.digest('hex'), files: unique.length };
}

export function readStamps(outDir: string): Stamps {
  try {
    const data = JSON.parse(readFileSync(path.join(outDir, STAMPS_FILE), 'utf8')) as unknown;
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Stamps) : {};
  } catch {
    return {};
  }
}

/** Written atomically (temp file + rename), so an interrupted build never leaves half a file. */
export function writeStamps(outDir: string, stamps: Stamps): void {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, STAMPS_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(stamps, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Up to date: the stored hash matches and every output file still exists. */
export function isUpToDate(stamp: Stamp | undefined, hash: string, outputs: string[]): boolean {
  return stamp?.hash === hash && outputs.every((file) => existsSync(file));
}
