import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { SESSION_COOKIE } from '../../server/auth/agent-auth';
import { FakeSlack, nextTs } from '../slack/fake-slack';
import { isolateChannelTests } from '../support/no-internet';
import type { TestServer } from '../support/server';
import { WidgetClient } from '../support/widget-client';
import { FakeConnector } from '../teams/fake-connector';
import { serverBackends, startOn } from './backends';

/**
 * Regression tests for the defects of issue 18, each on SQLite and PostgreSQL. Each one failed
 * before its guard (see the closing note of the issue for which guard makes which test fail).
 */

const { unhandled } = isolateChannelTests();
const backends = await serverBackends('the issue-18 defect suite');
const SIGNING_SECRET = 'slack-signing-secret-for-security-tests';

type ErrorBody = { error: { code: string; message: string } };

describe.each(backends)('issue 18 defects on %s', (backend) => {
  let server: TestServer;
  let slack: FakeSlack;
  let teams: FakeConnector;

  beforeAll(async () => {
    slack = await FakeSlack.start(SIGNING_SECRET);
    slack.addUser({ id: 'U_NUL', name: 'Gra\u0000ce', email: 'grace@customer.test' });
    teams = await FakeConnector.start();
    server = await startOn(backend, slack.serverEnv());
    slack.target = `${server.url}/slack/events`;
    teams.target = `${server.url}/api/messages`;
  });
  afterAll(async () => {
    await server?.close();
    await slack?.close();
    await teams?.close();
  });

  it('1. built-in property names are no metrics table (own keys only): 404, not 500', async () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      // The console's export and the public API's (the deprecated admin token is a full-scope key).
      for (const path of [`/api/metrics/${name}.csv`, `/api/v1/metrics/${name}.csv`]) {
        const res = await server.admin(path);
        expect(res.status, path).toBe(404);
        expect(((await res.json()) as ErrorBody).error.code).toBe('not_found');
      }
    }
    expect((await server.admin('/api/metrics/summary.csv')).status).toBe(200);
  });

  it('2a. NUL in a widget session name is removed at the edge, the same on both backends', async () => {
    const res = await fetch(`${server.url}/api/widget/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ key: 'demo', name: 'Ad\u0000a', attributes: { 'pl\u0000an': 'Busi\u0000ness' } }),
    });
    expect(res.status).toBe(200);
    const { customerId } = (await res.json()) as { customerId: string };
    const customer = await server.desk.store.customers.get(customerId);
    expect(customer?.name).toBe('Ada');
    expect(customer?.attributes).toEqual({ plan: 'Business' });
  });

  it('2b. NUL in a ticket id (path) and in the session cookie: 4xx, never 500', async () => {
    const path = await server.admin('/api/tickets/%00');
    expect(path.status).toBe(400);
    expect(((await path.json()) as ErrorBody).error.code).toBe('invalid_path');
    for (const cookie of [`${SESSION_COOKIE}=%00`, `${SESSION_COOKIE}=a%00b`, `${SESSION_COOKIE}=%01`]) {
      const me = await fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
      expect(me.status, cookie).toBe(401);
    }
    // Query strings too: a NUL in a filter is removed, the filter still works.
    expect((await server.admin('/api/tickets?status=open%00')).status).toBe(200);
  });

  it('2c. a CES comment with NUL is stored without it: acknowledged, no internal frame, survey kept', async () => {
    const visitor = new WidgetClient(server.url);
    await visitor.session();
    await visitor.connect();
    visitor.say('I forgot my password');
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'article');
    visitor.press({ kind: 'feedback', helpful: true, articleId: 'reset-password' }, 'Yes, this helped');
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'ces');
    const clientId = visitor.press({ kind: 'ces', score: 6, comment: 'quick\u0000 and easy' }, '6 out of 7');
    await visitor.waitFor((f) => f.type === 'ack' && f.clientId === clientId);
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'text' && /thank you/i.test(m.content.text));
    expect(visitor.frames.filter((f) => f.type === 'error')).toEqual([]);
    const surveys = await server.desk.store.surveys.list({ from: '2000-01-01T00:00:00.000Z', to: '2999-01-01T00:00:00.000Z' });
    expect(surveys.find((s) => s.conversationId === visitor.conversationId)).toMatchObject({ score: 6, comment: 'quick and easy' });
    visitor.close();
  });

  it('2d. NUL in Slack ids and display names: the member is stored and answered', async () => {
    const ts = nextTs();
    const res = await slack.sendEvent({ type: 'message', user: 'U_N\u0000UL', text: 'How do I reset my pass\u0000word?', ts, channel: 'D\u0000M1', channel_type: 'im', team: 'T0TEST' });
    expect(res.status).toBe(200);
    await slack.waitForPost('DM1', ts, () => true, 'the answer in the DM');
    const member = await server.desk.store.customers.findByExternalId('slack', 'U_NUL');
    expect(member?.name).toBe('Grace');
  });

  it('2e. NUL in Teams ids, conversation id and display name: stored without it and answered', async () => {
    const conversationId = `a:1nul\u0000${backend}`;
    const activity = teams.personal({ id: `29:nul\u0000${backend}`, name: 'Mal\u0000lory', aadObjectId: `aad-nul\u0000${backend}` }, conversationId, { text: 'How do I reset my password?' });
    const res = await teams.post(activity);
    expect(res.status).toBe(200);
    await teams.waitFor((s) => s.conversationId === `a:1nul${backend}`, 'the answer in Teams');
    const member = await server.desk.store.customers.findByExternalId('msteams', `aad-nul${backend}`);
    expect(member?.name).toBe('Mallory');
  });

  it('3. integers beyond the 32-bit columns: 400 on the REST history, a bad_frame (not internal) on hello', async () => {
    const visitor = new WidgetClient(server.url);
    await visitor.session();
    for (const after of ['2147483648', '99999999999999999999', '-1', '1e3', '1.5']) {
      const res = await fetch(`${server.url}/api/widget/messages?after=${after}`, { headers: { authorization: `Bearer ${visitor.token}` } });
      expect(res.status, after).toBe(400);
    }
    expect((await fetch(`${server.url}/api/widget/messages?after=2147483647`, { headers: { authorization: `Bearer ${visitor.token}` } })).status).toBe(200);
    await visitor.connect();
    const from = visitor.frames.length;
    visitor.send({ type: 'hello', lastSeq: 2147483648 });
    visitor.send({ type: 'hello', lastSeq: 1e300 });
    await visitor.waitFor(() => visitor.frames.slice(from).filter((f) => f.type === 'error').length === 2);
    visitor.send({ type: 'hello', lastSeq: 2147483647 });
    await visitor.waitFor((f) => f.type === 'ready', 5000, from);
    expect(visitor.frames.slice(from).filter((f) => f.type === 'error').map((f) => (f as { code: string }).code)).toEqual(['bad_frame', 'bad_frame']);
    // The ticket list's limit is bounded the same way.
    expect((await server.admin('/api/tickets?limit=2147483648')).status).toBe(400);
    visitor.close();
  });

  it('4. Teams development endpoint: malformed activities get 400 with the usual JSON error', async () => {
    const good = teams.personal({ id: '29:shape', name: 'Shape' }, `a:1shape${backend}`, { text: 'hello' });
    const cases: unknown[] = [{}, { type: null }, { ...good, serviceUrl: true }, { ...good, serviceUrl: 'javascript:alert(1)' }, { ...good, from: 'x' }, { ...good, conversation: { id: 5 } }, { ...good, locale: -2147483649 }, { ...good, channelData: 'x' }];
    for (const body of cases) {
      const res = await teams.post(body as Record<string, unknown>);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(((await res.json()) as ErrorBody).error.code).toBe('invalid_activity');
    }
    const res = await fetch(teams.target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    expect(res.status).toBe(400);
  });

  it('5. Slack: a signed null is 400, unhandled payloads are acknowledged at once, ±5 minutes only', async () => {
    const nul = await slack.post('null', 'application/json');
    expect(nul.status).toBe(400);
    expect(((await nul.json()) as ErrorBody).error.code).toBe('malformed_payload');
    for (const body of ['[]', '"x"', '5']) expect((await slack.post(body, 'application/json')).status, body).toBe(400);
    // Types nobody listens to: 200 straight away (bolt would hold them 3 s, then answer 404).
    for (const payload of [{ type: 'view_submission' }, { type: 'shortcut', callback_id: 'x' }, { type: 'block_actions', actions: [{ action_id: 'someone_else' }] }, { type: 'weird' }]) {
      const res = await slack.post(`payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded');
      expect(res.status, payload.type).toBe(200);
    }
    expect((await slack.post(JSON.stringify({ type: 'event_callback', event: { type: 'reaction_added' } }), 'application/json')).status).toBe(200);
    expect((await slack.post('command=%2Fother&text=x', 'application/x-www-form-urlencoded')).status).toBe(200);
    const hour = 3600;
    const now = Math.floor(Date.now() / 1000);
    const event = slack.envelope({ type: 'message', user: 'U_NUL', text: 'hi', ts: nextTs(), channel: 'DM2', channel_type: 'im' });
    expect((await slack.post(event, 'application/json', { timestamp: now + hour })).status).toBe(401);
    expect((await slack.post(event, 'application/json', { timestamp: now - hour })).status).toBe(401);
    expect((await slack.post(event, 'application/json', { timestamp: now + 6 * 60 })).status).toBe(401);
    expect((await slack.post(event, 'application/json', { signature: 'v0=00' })).status).toBe(401);
    expect((await slack.post(event, 'application/json', { timestamp: now + 60 })).status).toBe(200);
  });

  it('7. an agent cannot take, assign or resolve another agent\'s ticket; an admin can', async () => {
    const store = server.desk.store;
    const password = 'correct horse battery';
    const [alex, sam] = await Promise.all(
      ['alex', 'sam'].map(async (n) => store.agents.create({ email: `${n}-${backend}@tidyflow.test`, name: n, role: 'agent', passwordHash: await hashPassword(password) })),
    );
    const visitor = new WidgetClient(server.url);
    await visitor.session();
    await visitor.connect();
    visitor.press({ kind: 'handoff' }, 'Talk to a person');
    await visitor.waitFor((f) => f.type === 'conversation' && f.conversation.state === 'queued');
    const ticket = (await store.tickets.byConversation(visitor.conversationId!))!;
    const { AgentClient } = await import('../support/agent-client');
    const a = new AgentClient(server.url);
    const s = new AgentClient(server.url);
    expect((await a.login(alex!.email, password)).status).toBe(200);
    expect((await s.login(sam!.email, password)).status).toBe(200);
    // Sam may not hand an unassigned ticket to Alex either: assigning to someone else is a transfer.
    const toAlex = await s.request(`/api/tickets/${ticket.id}/assign`, { method: 'POST', json: { agentId: alex!.id } });
    expect(toAlex.status).toBe(403);
    expect((await a.request(`/api/tickets/${ticket.id}/claim`, { method: 'POST' })).status).toBe(200);
    for (const [path, json] of [
      ['assign', { agentId: sam!.id }],
      ['resolve', undefined],
      ['reply', { text: 'mine now' }],
    ] as const) {
      const res = await s.request(`/api/tickets/${ticket.id}/${path}`, { method: 'POST', ...(json ? { json } : {}) });
      expect(res.status, path).toBe(403);
      expect(((await res.json()) as ErrorBody).error.code).toBe('admins_only');
    }
    expect((await store.tickets.get(ticket.id))).toMatchObject({ assigneeId: alex!.id, status: 'assigned' });
    // An admin (the API token acts as one) transfers it.
    expect((await server.admin(`/api/tickets/${ticket.id}/assign`, { method: 'POST', body: JSON.stringify({ agentId: sam!.id }) })).status).toBe(200);
    expect((await s.request(`/api/tickets/${ticket.id}/resolve`, { method: 'POST' })).status).toBe(200);
    visitor.close();
  });

  it('2f. a forwarded address that is no address (8 KB of it) is one "unknown" source, not a database error', async () => {
    // Random text does not compress: an 8,000-character key would not fit PostgreSQL's index.
    const huge = { 'x-forwarded-for': randomBytes(6000).toString('base64'), 'content-type': 'application/json' };
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: huge, body: JSON.stringify({ email: 'nobody@tidyflow.test', password: 'wrong password' }) });
    expect(login.status).toBe(401);
    const session = await fetch(`${server.url}/api/widget/session`, { method: 'POST', headers: huge, body: JSON.stringify({ key: 'demo' }) });
    expect(session.status).toBe(200);
  });

  it('8. error messages quote a bounded excerpt of the input', async () => {
    const payload = `<script>alert(1)</script>${'x'.repeat(2000)}`;
    const res = await server.admin(`/api/tickets/${encodeURIComponent(payload)}`);
    expect(res.status).toBe(404);
    const { message } = ((await res.json()) as ErrorBody).error;
    expect(message).toBe(`ticket ${JSON.stringify(`${payload.slice(0, 40)}…`)} was not found`);
    const route = await fetch(`${server.url}/api/nothing/${'y'.repeat(5000)}`);
    expect(((await route.json()) as ErrorBody).error.message.length).toBeLessThan(120);
    expect(unhandled).toEqual([]);
  });
});
