import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAnswerdesk } from '../../server/app';
import { hashPassword, verifyPassword } from '../../server/auth/passwords';
import { TeamsConfigError } from '../../server/channels/teams';
import { loadConfig } from '../../server/config';
import { loginDelayMs } from '../../server/routes/auth';
import { openStore } from '../../server/store/open';
import { AgentClient } from '../support/agent-client';
import { bundleFor, FIXTURE_KB_DIR } from '../support/fixtures';
import { ADMIN_TOKEN, type TestServer } from '../support/server';
import { serverBackends, startOn } from './backends';

// Every password check is counted: an unknown email must cost the same scrypt as a known one.
vi.mock('../../server/auth/passwords', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../server/auth/passwords')>();
  return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});
const verifyCalls = () => vi.mocked(verifyPassword).mock.calls.length;

const backends = await serverBackends('the account security suite');
const PASSWORD = 'correct horse battery';
type ErrorBody = { error: { code: string; message: string } };

const post = (server: TestServer, path: string, json: unknown, headers: Record<string, string> = {}) =>
  fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(json) });

describe.each(backends)('accounts on %s', (backend) => {
  let server: TestServer;
  const delays: number[] = [];

  beforeAll(async () => {
    server = await startOn(backend, {}, { loginDelay: async (ms) => void delays.push(ms) });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('first run: only the one-time set-up code from the log creates the first admin, once', async () => {
    const code = server.desk.setupCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(await (await fetch(`${server.url}/api/auth/setup`)).json()).toEqual({ needed: true });
    const admin = { email: 'lee@tidyflow.test', name: 'Lee', password: PASSWORD };
    // The first visitor without the code gets nothing.
    expect((await post(server, '/api/auth/setup', admin)).status).toBe(400);
    const wrong = await post(server, '/api/auth/setup', { ...admin, code: 'AAAA-BBBB-CCCC' });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as ErrorBody).error.code).toBe('wrong_setup_code');
    // Two requests racing with the right code (typed in lower case, without dashes): one admin.
    const typed = code!.toLowerCase().replaceAll('-', ' ');
    const raced = await Promise.all([post(server, '/api/auth/setup', { ...admin, code: typed }), post(server, '/api/auth/setup', { ...admin, email: 'eve@tidyflow.test', code })]);
    expect(raced.map((r) => r.status).sort()).toEqual([200, 409]);
    const agents = (await server.desk.store.agents.list()).filter((a) => a.email !== 'api@answerdesk.invalid');
    expect(agents.map((a) => a.role)).toEqual(['admin']);
    expect(server.desk.setupCode()).toBeUndefined();
    expect(await (await fetch(`${server.url}/api/auth/setup`)).json()).toEqual({ needed: false });
    expect((await post(server, '/api/auth/setup', { ...admin, code })).status).toBe(409);
  });

  it('a wrong password costs one password check whether or not the account exists', async () => {
    await server.desk.store.agents.create({ email: 'alex@tidyflow.test', name: 'Alex', role: 'agent', passwordHash: await hashPassword(PASSWORD) });
    const attempt = async (email: string) => {
      const before = verifyCalls();
      const res = await post(server, '/api/auth/login', { email, password: 'wrong password' }, { 'x-forwarded-for': '198.51.100.1' });
      return { status: res.status, body: await res.json(), checks: verifyCalls() - before };
    };
    const known = await attempt('alex@tidyflow.test');
    const unknown = await attempt('nobody@tidyflow.test');
    const apiAccount = await attempt('api@answerdesk.invalid');
    expect(known).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: 'wrong email or password' } }, checks: 1 });
    expect(unknown).toEqual(known);
    expect(apiAccount).toEqual(known);
  });

  it('two admins adding the same agent at once: one 201, one 409 (never a 500)', async () => {
    const body = JSON.stringify({ email: 'twin@tidyflow.test', name: 'Twin', password: PASSWORD });
    const add = () => fetch(`${server.url}/api/agents`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body });
    const statuses = (await Promise.all([add(), add(), add()])).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409]);
  });

  it('lock-out is per account and address, with growing delays: a stranger cannot lock an agent out', async () => {
    delays.length = 0;
    const stranger = { 'x-forwarded-for': '203.0.113.66' };
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await post(server, '/api/auth/login', { email: 'alex@tidyflow.test', password: `guess ${i}` }, stranger)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429]);
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000].slice(0, delays.length));
    expect(delays).toHaveLength(8);
    expect(delays.every((d, i) => i === 0 || d >= delays[i - 1]!)).toBe(true);
    // Alex, signing in from the office, is not locked out.
    const alex = new AgentClient(server.url);
    expect((await alex.login('alex@tidyflow.test', PASSWORD)).status).toBe(200);
    // The stranger's address stays locked for Alex's account, even with the right password.
    expect((await post(server, '/api/auth/login', { email: 'alex@tidyflow.test', password: PASSWORD }, stranger)).status).toBe(429);
  });
});

describe('defaults of a fresh install', () => {
  it('prints the set-up code in the server log when no agent exists', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) });
    const dataDir = mkdtempSync(join(tmpdir(), 'answerdesk-setup-'));
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    const store = await openStore({ sqlitePath: ':memory:' });
    const desk = await createAnswerdesk({ config, log: pino({ level: 'info' }, sink), store, bundle: bundleFor(FIXTURE_KB_DIR) });
    try {
      await desk.listen(0, '127.0.0.1');
      const code = desk.setupCode()!;
      const line = lines.find((l) => l.includes(code));
      expect(line).toBeDefined();
      expect(JSON.parse(line!).msg).toMatch(/First run: .*\/console.* set-up code [0-9A-Z-]{14} .*npm run agent:add/);
    } finally {
      await desk.close();
      await store.close();
    }
  });

  it('listens on 127.0.0.1 unless HOST is set (0.0.0.0 in production)', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'test' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ NODE_ENV: 'production', SECRET: 'x'.repeat(32), PUBLIC_URL: 'https://support.example.com' }).host).toBe('0.0.0.0');
  });

  it('Teams without credentials runs only on loopback: off on 0.0.0.0, and TEAMS_ENABLED=true refuses to start', async () => {
    const open = await startOn('sqlite', { HOST: '0.0.0.0' });
    try {
      const res = await fetch(`${open.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(404);
    } finally {
      await open.close();
    }
    await expect(startOn('sqlite', { HOST: '0.0.0.0', TEAMS_ENABLED: 'true' })).rejects.toThrow(TeamsConfigError);
    await expect(startOn('sqlite', { HOST: '0.0.0.0', TEAMS_ENABLED: 'true' })).rejects.toThrow(/loopback/);
    const loopback = await startOn('sqlite', { TEAMS_ENABLED: 'true' });
    try {
      expect((await fetch(`${loopback.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
    } finally {
      await loopback.close();
    }
  });

  it('failed sign-ins wait longer each time, up to 5 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map(loginDelayMs)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });
});
