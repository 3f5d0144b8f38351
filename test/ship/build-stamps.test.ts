import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesUnder, hashInputs, importGraph, isUpToDate, readStamps, writeStamps } from '../../scripts/build-stamps';

const ROOT = resolve(import.meta.dirname, '../..');
const temp: string[] = [];
const mkTemp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'answerdesk-stamps-'));
  temp.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

describe('build stamps', () => {
  it('hashes names and contents, in any order, and notices a missing file', () => {
    const dir = mkTemp();
    writeFileSync(join(dir, 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(dir, 'b.ts'), 'export const b = 2;\n');
    const first = hashInputs(['a.ts', 'b.ts'], 'out=dist', dir);
    expect(hashInputs(['b.ts', 'a.ts', 'a.ts'], 'out=dist', dir)).toEqual(first);
    expect(first.files).toBe(2);
    expect(hashInputs(['a.ts', 'b.ts'], 'out=elsewhere', dir).hash).not.toBe(first.hash);
    writeFileSync(join(dir, 'b.ts'), 'export const b = 3;\n');
    expect(hashInputs(['a.ts', 'b.ts'], 'out=dist', dir).hash).not.toBe(first.hash);
    rmSync(join(dir, 'b.ts'));
    expect(hashInputs(['a.ts', 'b.ts'], 'out=dist', dir).hash).not.toBe(first.hash);
  });

  it('is up to date only with the same hash and every output present', () => {
    const dir = mkTemp();
    const out = join(dir, 'out.js');
    writeStamps(dir, { widget: { hash: 'h1', files: 3, builtAt: new Date().toISOString() } });
    const stamps = readStamps(dir);
    expect(isUpToDate(stamps.widget, 'h1', [out])).toBe(false);
    writeFileSync(out, '');
    expect(isUpToDate(stamps.widget, 'h1', [out])).toBe(true);
    expect(isUpToDate(stamps.widget, 'h2', [out])).toBe(false);
    expect(isUpToDate(stamps.console, 'h1', [out])).toBe(false);
    expect(readStamps(join(dir, 'nowhere'))).toEqual({});
  });

  it('follows imports across folders (the widget uses bot/wording.ts) but not into packages or type-only imports', async () => {
    const widget = await importGraph(['widget/src/panel/index.tsx'], { root: ROOT, platform: 'browser' });
    expect(widget).toContain('bot/wording.ts');
    expect(widget).toContain('widget/src/panel/App.tsx');
    expect(widget.some((f) => f.includes('node_modules'))).toBe(false);
    // server/realtime/protocol.ts is imported for types only: it cannot change the bundle.
    expect(widget).not.toContain('server/realtime/protocol.ts');

    const dir = mkTemp();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'x.md'), '# x\n');
    expect(filesUnder('.', dir)).toEqual(['sub/x.md']);
    expect(filesUnder('missing', dir)).toEqual([]);
  });

  it('npm run build skips what is up to date and rebuilds with --force', () => {
    const out = join(mkTemp(), 'dist');
    const build = (...args: string[]) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', 'knowledge', 'server', '--out-dir', out, ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, KNOWLEDGE_INDEX: join(out, 'knowledge.json') },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    expect(build()).toMatch(/build: rebuilt knowledge, server; up to date nothing/);
    expect(build()).toMatch(/build: rebuilt nothing; up to date knowledge, server/);
    rmSync(join(out, 'server', 'agent-add.js'));
    expect(build()).toMatch(/build: rebuilt server; up to date knowledge/);
    expect(build('--force')).toMatch(/build: rebuilt knowledge, server; up to date nothing/);
  }, 60_000);
});
