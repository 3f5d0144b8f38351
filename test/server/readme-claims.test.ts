import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { describeBusinessHours, withinBusinessHours } from '../../server/business-hours';
import { ConfigError, loadConfig } from '../../server/config';
import { loadKnowledge } from '../../server/knowledge';
import { toCsv } from '../../server/metrics/csv';
import { buildWidget, WIDGET_BUDGET_GZIP, widgetBudgetProblem } from '../../widget/build';
import { serverBackends, startOn } from '../security/backends';
import { FIXTURE_KB_DIR } from '../support/fixtures';
import { dropSchema } from '../support/stores';

/** Claims the README makes, each with a test that fails when the behaviour goes (issue 18). */

const backends = await serverBackends('the README claims suite');

describe('business hours and time zones', () => {
  const berlin = loadConfig({ BUSINESS_HOURS: 'Mon-Fri 09:00-18:00', BUSINESS_TIMEZONE: 'Europe/Berlin' }).businessHours;
  const open = (iso: string) => withinBusinessHours(berlin, new Date(iso));

  it('counts hours in the configured zone, across the spring DST change (Berlin, 29 March 2026)', () => {
    // Monday 23 March: CET, UTC+1.
    expect(open('2026-03-23T07:59:00Z')).toBe(false); // 08:59 local
    expect(open('2026-03-23T08:00:00Z')).toBe(true); // 09:00 local
    expect(open('2026-03-23T16:59:00Z')).toBe(true); // 17:59 local
    expect(open('2026-03-23T17:00:00Z')).toBe(false); // 18:00 local
    // Monday 30 March: CEST, UTC+2 — the same local hours are an hour earlier in UTC.
    expect(open('2026-03-30T07:00:00Z')).toBe(true); // 09:00 local
    expect(open('2026-03-30T06:59:00Z')).toBe(false); // 08:59 local
    expect(open('2026-03-30T16:00:00Z')).toBe(false); // 18:00 local
    expect(open('2026-03-30T15:59:00Z')).toBe(true); // 17:59 local
  });

  it('and back in autumn (25 October 2026), with weekends closed and days taken in the local zone', () => {
    expect(open('2026-10-23T07:00:00Z')).toBe(true); // Friday 09:00 CEST
    expect(open('2026-10-26T07:00:00Z')).toBe(false); // Monday 08:00 CET
    expect(open('2026-10-26T08:00:00Z')).toBe(true); // Monday 09:00 CET
    expect(open('2026-10-24T10:00:00Z')).toBe(false); // Saturday
    // Friday 17:30 in Los Angeles is already Saturday in UTC: still open there.
    const la = loadConfig({ BUSINESS_HOURS: 'Mon-Fri 09:00-18:00', BUSINESS_TIMEZONE: 'America/Los_Angeles' }).businessHours;
    expect(withinBusinessHours(la, new Date('2026-10-24T00:30:00Z'))).toBe(true);
    expect(withinBusinessHours(la, new Date('2026-10-24T01:30:00Z'))).toBe(false);
  });

  it('reads day ranges that wrap over the weekend and the whole day, and refuses unknown zones', () => {
    const wrap = loadConfig({ BUSINESS_HOURS: 'Fri-Mon 00:00-24:00' }).businessHours;
    expect(wrap.days).toEqual([5, 6, 0, 1]);
    expect(withinBusinessHours(wrap, new Date('2026-10-24T23:59:00Z'))).toBe(true); // Saturday
    expect(withinBusinessHours(wrap, new Date('2026-10-27T12:00:00Z'))).toBe(false); // Tuesday
    expect(describeBusinessHours(berlin)).toBe('Monday–Friday, 09:00–18:00 (Europe/Berlin)');
    expect(() => loadConfig({ BUSINESS_TIMEZONE: 'Mars/Olympus' })).toThrow(/BUSINESS_TIMEZONE/);
  });
});

describe('production refuses to start without SECRET', () => {
  it('in the configuration, and the server process exits with the reason', () => {
    const env = { NODE_ENV: 'production', PUBLIC_URL: 'https://support.example.com' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/SECRET: required in production/);
    expect(() => loadConfig({ ...env, SECRET: 'short' })).toThrow(/SECRET must be at least 32 characters/);
    expect(loadConfig({ ...env, SECRET: 's'.repeat(32) }).secret).toBe('s'.repeat(32));
    const dataDir = mkdtempSync(join(tmpdir(), 'answerdesk-nosecret-'));
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['SECRET', 'DATABASE_URL', 'HOST', 'PORT'].includes(k)));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env: { ...clean, ...env, DATA_DIR: dataDir, PORT: '0' }, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(78);
    expect(run.stderr).toMatch(/SECRET: required in production/);
  });
});

describe('CSV exports escape formulas', () => {
  it('prefixes cells a spreadsheet would run, and quotes separators', () => {
    const csv = toCsv([{ text: '=HYPERLINK("http://evil.example","x")', a: '+1', b: '-2', c: '@SUM(A1)', d: '\tx', e: 'plain, "quoted"', f: 3 }]);
    expect(csv).toBe(`text,a,b,c,d,e,f\r\n"'=HYPERLINK(""http://evil.example"",""x"")",'+1,'-2,'@SUM(A1),'\tx,"plain, ""quoted""",3\r\n`);
  });
});

describe('the knowledge index is rebuilt when the content is newer', () => {
  it('loads a current index as it is, rebuilds a stale one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'answerdesk-kb-'));
    const content = join(dir, 'content');
    cpSync(FIXTURE_KB_DIR, content, { recursive: true });
    const index = join(dir, 'knowledge.json');
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const first = loadKnowledge(content, index, log);
    expect(lines.at(-1)).toMatch(/knowledge index built/);
    loadKnowledge(content, index, log);
    expect(lines.at(-1)).toMatch(/knowledge index loaded/);
    // An author edits an article: its title changes and its file is newer than the index.
    const article = join(content, 'articles', 'reset-password.md');
    writeFileSync(article, readFileSync(article, 'utf8').replace(/^title: .*$/m, 'title: Reset a forgotten password (edited)'));
    const later = new Date(statSync(index).mtimeMs + 5_000);
    utimesSync(article, later, later);
    const second = loadKnowledge(content, index, log);
    expect(lines.at(-1)).toMatch(/knowledge index built/);
    expect(first.kb.articles.find((a) => a.id === 'reset-password')?.title).not.toMatch(/edited/);
    expect(second.kb.articles.find((a) => a.id === 'reset-password')?.title).toBe('Reset a forgotten password (edited)');
  });
});

describe('the widget gzip budget', () => {
  it('the loader built from the sources is within the budget, and the check refuses a bigger one', async () => {
    const out = mkdtempSync(join(tmpdir(), 'answerdesk-widget-'));
    const files = await buildWidget({ outDir: out });
    const loader = files.find((f) => f.file.endsWith('widget.js'))!;
    expect(loader.gzipBytes).toBeGreaterThan(0);
    expect(loader.gzipBytes).toBeLessThanOrEqual(WIDGET_BUDGET_GZIP);
    expect(widgetBudgetProblem(readFileSync(join(out, 'widget.js')))).toBeUndefined();
    // Random bytes do not compress: 30 KB of them is over the 20 KB budget.
    expect(widgetBudgetProblem(randomBytes(30 * 1024))).toMatch(/budget before the first click is 20480/);
  }, 60_000);
});

describe.each(backends)('on %s', (backend) => {
  it('the per-IP rate limit answers 429 to one address and not to another', async () => {
    const server = await startOn(backend, { RATE_LIMIT_IP_PER_MINUTE: '4' });
    try {
      const session = (ip: string) => fetch(`${server.url}/api/widget/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ key: 'demo' }) });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await session('203.0.113.5')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      // Suggestions count against the same address.
      expect((await fetch(`${server.url}/api/widget/suggest?q=password`, { headers: { 'x-forwarded-for': '203.0.113.5' } })).status).toBe(429);
      expect((await session('198.51.100.7')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('/readyz answers 503 when the database is down (and /healthz still 200)', async () => {
    const server = await startOn(backend);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const store = server.desk.store;
    await store.close();
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: 'not_ready', message: 'database unreachable' } });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    store.close = async () => undefined;
    await server.close().catch(() => undefined);
    const schema = server.desk.config.databaseSchema;
    if (backend === 'postgres' && schema) await dropSchema(schema).catch(() => undefined);
  });
});
