import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { ChannelContext } from '../../server/channels';
import { mountTeams, TeamsConfigError } from '../../server/channels/teams';
import { loadConfig } from '../../server/config';
import type { ConversationService } from '../../server/conversations';
import type { DeliveryWorker } from '../../server/outbox/worker';
import type { RealtimeBus } from '../../server/realtime/bus';
import type { Store } from '../../server/store/types';
import { startTestServer, type TestServer } from '../support/server';
import { FakeConnector, type Member, TENANT_ID } from './fake-connector';
import { blockInternet } from '../support/no-internet';

/** With Microsoft credentials configured, only Bot Framework-signed requests get through. */

const CREDENTIALS = {
  MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001',
  MICROSOFT_APP_PASSWORD: 'x',
  MICROSOFT_APP_TENANT_ID: TENANT_ID,
};
const MEMBER: Member = { id: '29:intruder', name: 'Mallory', aadObjectId: 'aad-mallory' };

/** An unsigned JWT (alg none) with these claims: well formed, never valid. */
function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'made-up' })}.${part({ exp: Math.floor(Date.now() / 1000) + 600, ...claims })}.${Buffer.from('not a signature').toString('base64url')}`;
}

describe('Teams channel with credentials (SingleTenant)', () => {
  let fake: FakeConnector;
  let server: TestServer;
  const internet = blockInternet();
  // CloudAdapter reports each rejected token with console.error (a stack trace); kept out of the test output.
  let consoleError: MockInstance<typeof console.error>;

  beforeAll(async () => {
    consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    fake = await FakeConnector.start();
    server = await startTestServer({ ...CREDENTIALS, PUBLIC_URL: 'https://support.example.com' });
    fake.target = `${server.url}/api/messages`;
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
    internet.restore();
    consoleError.mockRestore();
  });

  const question = () => fake.personal(MEMBER, 'a:1intruder', { text: 'How do I reset my password?' });

  it('rejects a request without a token with 401, before any key fetch', async () => {
    const res = await fake.post(question());
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: 'Bot Framework token required' } });
    expect(internet.attempts).toEqual([]);
  });

  it('rejects garbage and foreign-issuer tokens with 401 without going to the internet', async () => {
    const refused = { error: { code: 'unauthorized', message: 'invalid Bot Framework token' } };
    const foreign = unsignedJwt({ iss: 'https://evil.example', aud: CREDENTIALS.MICROSOFT_APP_ID, serviceurl: fake.url });
    for (const authorization of ['Bearer abc', 'Basic dXNlcjpwYXNz', `Bearer ${foreign}`]) {
      const res = await fake.post(question(), { authorization });
      expect(res.status, authorization.slice(0, 20)).toBe(401);
      expect(await res.json()).toEqual(refused);
    }
    expect(internet.attempts).toEqual([]);
  });

  it('authenticates before it parses: a bad token with a malformed body is 401, not 400 or 500', async () => {
    for (const body of ['{}', '{"type":null}', '{"type":"message","serviceUrl":true}', 'not json', '[]']) {
      const res = await fetch(fake.target, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer abc' }, body });
      expect(res.status, body).toBe(401);
    }
    const anonymous = await fetch(fake.target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":null}' });
    expect(anonymous.status).toBe(401);
  });

  it('fails closed when a forged token claims the Bot Framework issuer (its key fetch is blocked here)', async () => {
    const forged = unsignedJwt({ iss: 'https://api.botframework.com', aud: CREDENTIALS.MICROSOFT_APP_ID, serviceurl: fake.url });
    const res = await fake.post(question(), { authorization: `Bearer ${forged}` });
    // Validating this one needs Microsoft's signing keys; with no internet the fetch fails
    // at once and the request is refused (5xx: the keys could not be loaded), never processed.
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(internet.attempts.every((a) => a === 'https://login.botframework.com')).toBe(true);
  });

  it('processed none of them', async () => {
    expect(await server.desk.store.customers.findByExternalId('msteams', MEMBER.aadObjectId!)).toBeUndefined();
    expect(fake.sent).toEqual([]);
  });
});

describe('mountTeams configuration', () => {
  const stub = {} as Store;
  function context(env: Record<string, string>, lines: string[] = []): ChannelContext {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    return {
      app: express(),
      config: loadConfig({ NODE_ENV: 'test', DATA_DIR: '/tmp/answerdesk-teams-config', ...env }),
      store: stub,
      service: { registerChannel() {} } as unknown as ConversationService,
      bus: {} as RealtimeBus,
      worker: { register() {} } as unknown as DeliveryWorker,
      log: pino({ level: 'info' }, sink),
      articleUrl: (id) => `https://support.example.com/help/articles/${id}`,
    };
  }
  const production = { NODE_ENV: 'production', SECRET: 's'.repeat(32), PUBLIC_URL: 'https://support.example.com' };

  it('runs in development mode without credentials, and says so', async () => {
    const lines: string[] = [];
    const mounted = await mountTeams(context({}, lines));
    expect(mounted?.name).toBe('msteams');
    expect(lines.join('')).toMatch(/DEVELOPMENT MODE.*authentication is disabled/);
  });

  it('is disabled in production without credentials (no unauthenticated endpoint)', async () => {
    const lines: string[] = [];
    expect(await mountTeams(context(production, lines))).toBeUndefined();
    expect(lines.join('')).toMatch(/Teams disabled/);
  });

  it('refuses to start in production when Teams is required but has no credentials', async () => {
    await expect(mountTeams(context({ ...production, TEAMS_ENABLED: 'true' }))).rejects.toThrow(/TEAMS_ENABLED=true in production needs MICROSOFT_APP_ID/);
  });

  it('stays off with TEAMS_ENABLED=false, even in development', async () => {
    const lines: string[] = [];
    expect(await mountTeams(context({ TEAMS_ENABLED: 'false' }, lines))).toBeUndefined();
    expect(lines.join('')).toMatch(/TEAMS_ENABLED=false/);
  });

  it('refuses to start when half configured, in any environment', async () => {
    await expect(mountTeams(context({ MICROSOFT_APP_ID: CREDENTIALS.MICROSOFT_APP_ID }))).rejects.toThrow(TeamsConfigError);
    await expect(mountTeams(context({ MICROSOFT_APP_ID: CREDENTIALS.MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD: 'x' }))).rejects.toThrow(/MICROSOFT_APP_TENANT_ID/);
    await expect(mountTeams(context({ ...production, MICROSOFT_APP_PASSWORD: 'x' }))).rejects.toThrow(/MICROSOFT_APP_ID/);
    await expect(mountTeams(context({ ...production, MICROSOFT_APP_TENANT_ID: TENANT_ID }))).rejects.toThrow(TeamsConfigError);
  });

  it('mounts with authentication in production when fully configured', async () => {
    const lines: string[] = [];
    expect((await mountTeams(context({ ...production, ...CREDENTIALS }, lines)))?.name).toBe('msteams');
    expect(lines.join('')).toMatch(/authentication on/);
  });
});
