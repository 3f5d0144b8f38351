import { afterEach, describe, expect, it, vi } from 'vitest';

/** In CI an unreachable PostgreSQL fails the PostgreSQL suites; locally they skip with a message. */
describe('postgresRequiredInCi', () => {
  const saved = { url: process.env.TEST_DATABASE_URL, ci: process.env.CI };
  afterEach(() => {
    for (const [key, value] of [['TEST_DATABASE_URL', saved.url], ['CI', saved.ci]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    vi.restoreAllMocks();
  });

  // Port 1 on loopback: nothing listens, the connection is refused at once.
  const unreachable = async (ci: string | undefined) => {
    process.env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:1/test';
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    vi.resetModules();
    return import('../support/stores');
  };

  it('throws when CI=true (or 1) and PostgreSQL is not reachable', async () => {
    for (const ci of ['true', '1']) {
      const stores = await unreachable(ci);
      await expect(stores.postgresRequiredInCi('the suite')).rejects.toThrow(/PostgreSQL not reachable at postgres:\/\/postgres@127\.0\.0\.1:1\/test: the suite must run on PostgreSQL in CI/);
    }
  });

  it('skips with a message outside CI', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const stores = await unreachable(undefined);
    expect(await stores.postgresRequiredInCi('the suite')).toBe(false);
    expect(warn.mock.calls.flat().join(' ')).toMatch(/\[skip\] PostgreSQL not reachable .*the suite \(PostgreSQL half\) skipped/);
  });
});
