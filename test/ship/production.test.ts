import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The production path of docs/DEPLOY.md, for real: build (dev dependencies), copy what a
 * deployment gets into a fresh folder, `npm ci --omit=dev` there, and run the compiled server
 * with `node dist/server/main.js` — no tsx, no vite, no esbuild, no TypeScript at run time.
 *
 * `npm ci` compiles better-sqlite3 from source here (its prebuilt binaries cannot be
 * downloaded), which takes a minute or two on the 2-core machine: hence the long timeout.
 * The build goes into a temporary folder (`--out-dir`), never the dist/ other tests read.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const SECRET = 'production-test-secret-0123456789abcdefghij';
const PUBLIC_URL = 'https://support.example.com';
const INSTALL_TIMEOUT_MS = 6 * 60_000;

/** What docs/DEPLOY.md copies from the build into the run stage. */
const DEPLOYED = ['package.json', 'package-lock.json', 'dist', 'knowledge/content'];

const temp: string[] = [];
const children = new Set<ChildProcess>();
const mkTemp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temp.push(dir);
  return dir;
};

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

/** The environment a production host gives the process: nothing from this test run (no NODE_OPTIONS, no npm_*). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[key]) env[key] = process.env[key];
  return { ...env, ...extra };
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeout: number }) {
  const started = performance.now();
  const result = spawnSync(command, args, { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}${result.error ? ` (${result.error.message})` : ''}:\n${output.slice(-4000)}`);
  }
  return { output, seconds };
}

interface Server {
  proc: ChildProcess;
  url: string;
  output: string[];
  exited: Promise<number | null>;
}

/** `node dist/server/main.js` in the production folder; resolves once it logs its port. */
async function startServer(appDir: string, env: Record<string, string>): Promise<Server> {
  const proc = spawn(process.execPath, ['dist/server/main.js'], {
    cwd: appDir,
    env: cleanEnv({
      NODE_ENV: 'production',
      SECRET,
      PUBLIC_URL,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  const output: string[] = [];
  const exited = new Promise<number | null>((done) => proc.on('exit', (code) => done(code)));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up line within 30 s:\n${output.join('\n')}`)), 30_000);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        output.push(line);
        if (line.includes('answerdesk is up')) {
          clearTimeout(timer);
          resolvePort((JSON.parse(line) as { port: number }).port);
        }
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was up:\n${output.join('\n')}`));
    });
  });
  return { proc, url: `http://127.0.0.1:${port}`, output, exited };
}

/** Polls /readyz (bounded: 100 tries, 100 ms apart). */
async function waitReady(url: string): Promise<Response> {
  let last: Response | undefined;
  for (let i = 0; i < 100; i++) {
    try {
      last = await fetch(`${url}/readyz`);
      if (last.status === 200) return last;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`/readyz never answered 200 (last: ${last?.status ?? 'no answer'})`);
}

async function stop(server: Server): Promise<number | null> {
  server.proc.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000).unref());
  const code = await Promise.race([server.exited, timeout]);
  if (code === 'timeout') throw new Error(`no exit within 15 s of SIGTERM:\n${server.output.slice(-20).join('\n')}`);
  return code;
}

describe('production: compiled JavaScript from an install without dev dependencies', () => {
  const buildDir = mkTemp('answerdesk-build-');
  const appDir = mkTemp('answerdesk-prod-');
  let installed = false;

  it(
    'builds, copies what DEPLOY.md lists and installs production dependencies only',
    () => {
      // Build stage (this checkout has the dev dependencies): `npm run build`, into a temp dist.
      const dist = join(buildDir, 'dist');
      const build = run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--out-dir', dist], {
        cwd: ROOT,
        env: { ...cleanEnv(), KNOWLEDGE_INDEX: join(dist, 'knowledge.json') },
        timeout: 120_000,
      });
      expect(build.output).toMatch(/server: rebuilt/);
      for (const file of ['server/main.js', 'server/main.js.map', 'server/agent-add.js', 'server/builtin-intents.yml', 'server/word-vectors.bin', 'demo.html', 'knowledge.json', 'widget/widget.js', 'widget/panel.js', 'console/index.html']) {
        expect(existsSync(join(dist, file)), `dist/${file}`).toBe(true);
      }
      // The bundle is plain JavaScript that loads packages from node_modules, never dev tools.
      const bundle = readFileSync(join(dist, 'server', 'main.js'), 'utf8');
      expect(bundle).not.toMatch(/from ["'](tsx|vite|esbuild|vitest|typescript)["'/]/);

      // Run stage: a fresh folder gets exactly what DEPLOY.md copies, with its tar command
      // (timestamps kept). dist/ comes from the temporary build folder, the rest from the checkout.
      const copy = (from: string, items: string[]) =>
        run('bash', ['-c', 'set -o pipefail; src=$1 dst=$2; shift 2; tar -cf - -C "$src" "$@" | tar -xf - -C "$dst"', 'copy', from, appDir, ...items], {
          cwd: ROOT,
          env: cleanEnv(),
          timeout: 60_000,
        });
      copy(ROOT, DEPLOYED.filter((item) => item !== 'dist'));
      copy(buildDir, ['dist']);
      for (const item of DEPLOYED) expect(existsSync(join(appDir, item)), item).toBe(true);

      // `npm ci --omit=dev`; --prefer-offline uses the local npm cache where it can. JOBS lets
      // node-gyp compile better-sqlite3 on every core.
      const install = run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], {
        cwd: appDir,
        env: cleanEnv({ JOBS: String(availableParallelism()) }),
        timeout: INSTALL_TIMEOUT_MS - 30_000,
      });
      console.log(`production test: build ${build.seconds.toFixed(1)} s, npm ci --omit=dev ${install.seconds.toFixed(1)} s`);

      for (const devOnly of ['tsx', 'vite', 'esbuild', 'vitest', 'typescript']) {
        expect(existsSync(join(appDir, 'node_modules', devOnly)), `node_modules/${devOnly} in a production install`).toBe(false);
      }
      expect(existsSync(join(appDir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
      installed = true;
    },
    INSTALL_TIMEOUT_MS,
  );

  it('node dist/server/main.js serves the product and stops on SIGTERM with status 0', async () => {
    expect(installed, 'the install step failed').toBe(true);
    const dataDir = mkTemp('answerdesk-prod-data-');
    const server = await startServer(appDir, { DATA_DIR: dataDir });

    const ready = await waitReady(server.url);
    expect(((await ready.json()) as { status: string }).status).toBe('ready');
    // First start: the help-centre folder is imported into the database and the bot is built from
    // it in the bundled worker thread (dist/server/kb-build-worker.js).
    expect(server.output.some((l) => l.includes('knowledge base imported on first start'))).toBe(true);
    expect(server.output.some((l) => l.includes('knowledge swapped in'))).toBe(true);

    for (const [path, type, text] of [
      ['/', 'text/html', 'widget.js'],
      ['/help', 'text/html', ''],
      ['/widget.js', 'javascript', ''],
      ['/console', 'text/html', '/console/assets/'],
    ] as const) {
      const res = await fetch(server.url + path, { redirect: 'manual' });
      expect(res.status, `GET ${path}`).toBe(200);
      expect(res.headers.get('content-type') ?? '', `GET ${path}`).toContain(type);
      expect(await res.text(), `GET ${path}`).toContain(text);
    }
    expect(existsSync(join(dataDir, 'answerdesk.sqlite'))).toBe(true);

    expect(await stop(server)).toBe(0);
  }, 60_000);

  it('the compiled agent:add and kb:export work, and a restart loads the last knowledge build from DATA_DIR', async () => {
    expect(installed, 'the install step failed').toBe(true);
    const dataDir = mkTemp('answerdesk-prod-data-');
    const env = cleanEnv({ NODE_ENV: 'production', SECRET, PUBLIC_URL, DATA_DIR: dataDir });
    const added = run(process.execPath, ['dist/server/agent-add.js', '--email', 'lead@example.com', '--name', 'Lee', '--password', 'correct-horse-battery'], {
      cwd: appDir,
      env,
      timeout: 30_000,
    });
    expect(added.output).toMatch(/created admin lead@example\.com/);

    // First start builds in the worker (built-in intents read next to the bundle) and keeps the
    // build in DATA_DIR; the restart loads it instead of training again.
    const first = await startServer(appDir, { DATA_DIR: dataDir });
    await waitReady(first.url);
    expect(first.output.some((l) => l.includes('knowledge swapped in'))).toBe(true);
    expect(await stop(first)).toBe(0);
    const server = await startServer(appDir, { DATA_DIR: dataDir });
    await waitReady(server.url);
    expect(server.output.some((l) => l.includes('knowledge loaded from cache'))).toBe(true);

    const exportDir = mkTemp('answerdesk-prod-export-');
    const exported = run(process.execPath, ['dist/server/kb-export.js', exportDir], { cwd: appDir, env, timeout: 30_000 });
    expect(exported.output).toMatch(/exported 55 articles/);
    expect(existsSync(join(exportDir, 'articles', 'account', 'reset-password.md'))).toBe(true);

    const setup = await fetch(`${server.url}/api/auth/setup`);
    expect(await setup.json()).toEqual({ needed: false });
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PUBLIC_URL },
      body: JSON.stringify({ email: 'lead@example.com', password: 'correct-horse-battery' }),
    });
    expect(login.status).toBe(200);
    expect(await stop(server)).toBe(0);
  }, 60_000);
});
