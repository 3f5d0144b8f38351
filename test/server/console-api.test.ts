import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { AgentClient } from '../support/agent-client';
import { startTestServer, type TestServer } from '../support/server';
import { WidgetClient } from '../support/widget-client';

let server: TestServer;
/** The waits after failed sign-ins, recorded instead of slept. */
const loginDelays: number[] = [];
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  server = await startTestServer({}, { loginDelay: async (ms) => void loginDelays.push(ms) });
  const hash = await hashPassword(PASSWORD);
  await server.desk.store.agents.create({ email: 'admin@tidyflow.test', name: 'Ada Admin', role: 'admin', passwordHash: hash });
  await server.desk.store.agents.create({ email: 'alex@tidyflow.test', name: 'Alex', role: 'agent', passwordHash: hash });
  await server.desk.store.agents.create({ email: 'sam@tidyflow.test', name: 'Sam', role: 'agent', passwordHash: hash });
});
afterAll(async () => {
  await server.close();
});

async function escalatedTicket(): Promise<{ ticketId: string; visitor: WidgetClient }> {
  const visitor = new WidgetClient(server.url);
  await visitor.session({ name: 'Grace' });
  await visitor.connect();
  visitor.say('Can I get my money back for last month?');
  await visitor.waitForMessage((m) => m.author === 'bot');
  visitor.press({ kind: 'handoff' }, 'Talk to a person');
  await visitor.waitFor((f) => f.type === 'conversation' && f.conversation.state === 'queued');
  const admin = await server.admin(`/api/tickets?status=open`);
  const { tickets } = (await admin.json()) as { tickets: { id: string; conversationId: string }[] };
  return { ticketId: tickets.find((t) => t.conversationId === visitor.conversationId)!.id, visitor };
}

describe('console API', () => {
  it('requires a session (401), an admin role for admin endpoints (403) and the CSRF token (403)', async () => {
    const anonymous = new AgentClient(server.url);
    expect((await anonymous.request('/api/tickets')).status).toBe(401);
    expect((await anonymous.request('/api/metrics')).status).toBe(401);
    expect((await anonymous.request('/api/console/events')).status).toBe(401);
    expect((await anonymous.request('/api/auth/me')).status).toBe(401);

    const alex = new AgentClient(server.url);
    expect((await alex.login('alex@tidyflow.test', PASSWORD)).status).toBe(200);
    expect((await alex.request('/api/tickets')).status).toBe(200);
    const asAgent = await alex.request('/api/agents', { method: 'POST', json: { email: 'x@y.test', name: 'X', password: 'long enough pw' } });
    expect(asAgent.status).toBe(403);
    const noCsrf = await alex.request('/api/presence', { method: 'POST', json: { presence: 'online' }, skipCsrf: true });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await alex.request('/api/presence', { method: 'POST', json: { presence: 'online' } })).status).toBe(204);

    const admin = new AgentClient(server.url);
    await admin.login('admin@tidyflow.test', PASSWORD);
    const created = await admin.request('/api/agents', { method: 'POST', json: { email: 'new@tidyflow.test', name: 'New', password: 'long enough pw' } });
    expect(created.status).toBe(201);
  });

  it('sets an HttpOnly SameSite session cookie, logs out, and slows down repeated failed logins', async () => {
    const c = new AgentClient(server.url);
    const res = await c.login('sam@tidyflow.test', PASSWORD);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect((await c.request('/api/auth/logout', { method: 'POST' })).status).toBe(204);
    expect((await c.request('/api/auth/me')).status).toBe(401);

    const attacker = new AgentClient(server.url);
    const statuses: number[] = [];
    loginDelays.length = 0;
    for (let i = 0; i < 9; i++) statuses.push((await attacker.login('new@tidyflow.test', `wrong-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429]);
    // Each failure from the same address waits longer than the one before (up to 5 s).
    expect(loginDelays).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  it('lets exactly one of two agents claiming at once win; the other learns who has it', async () => {
    const { ticketId, visitor } = await escalatedTicket();
    const alex = new AgentClient(server.url);
    const sam = new AgentClient(server.url);
    await alex.login('alex@tidyflow.test', PASSWORD);
    await sam.login('sam@tidyflow.test', PASSWORD);
    const [a, s] = await Promise.all([
      alex.request(`/api/tickets/${ticketId}/claim`, { method: 'POST' }),
      sam.request(`/api/tickets/${ticketId}/claim`, { method: 'POST' }),
    ]);
    expect([a.status, s.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : s;
    const winnerName = a.status === 200 ? 'Alex' : 'Sam';
    expect(((await loser.json()) as { error: { message: string } }).error.message).toBe(`already claimed by ${winnerName}`);
    await visitor.waitFor((f) => f.type === 'conversation' && f.conversation.state === 'assigned' && f.conversation.agentName === winnerName);
    visitor.close();
  });

  it('streams queue changes to the console over server-sent events', async () => {
    const alex = new AgentClient(server.url);
    await alex.login('alex@tidyflow.test', PASSWORD);
    const res = await alex.request('/api/console/events');
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const received = (async () => {
      let text = '';
      while (!text.includes('event: ticket')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      return text;
    })();
    const { visitor } = await escalatedTicket();
    expect(await received).toContain('event: ticket');
    await reader.cancel();
    visitor.close();
  });

  it('expands nothing server-side: canned responses are stored verbatim', async () => {
    const admin = new AgentClient(server.url);
    await admin.login('admin@tidyflow.test', PASSWORD);
    await admin.json('/api/canned', { method: 'POST', json: { title: 'Greeting', body: 'Hi {{customer.name}}, {{agent.name}} here.' } });
    const { responses } = await admin.json<{ responses: { body: string }[] }>('/api/canned');
    expect(responses.map((r) => r.body)).toContain('Hi {{customer.name}}, {{agent.name}} here.');
  });

  it('computes dashboard metrics and exports every table as CSV', async () => {
    const { ticketId, visitor } = await escalatedTicket();
    const alex = new AgentClient(server.url);
    await alex.login('alex@tidyflow.test', PASSWORD);
    await alex.json(`/api/tickets/${ticketId}/reply`, { method: 'POST', json: { text: 'Refund issued.' } });
    await alex.json(`/api/tickets/${ticketId}/resolve`, { method: 'POST' });
    await visitor.waitForMessage((m) => m.content.type === 'ces');
    visitor.press({ kind: 'ces', score: 5 }, '5');
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'text' && /thank you/i.test(m.content.text));

    const self = new WidgetClient(server.url);
    await self.session();
    await self.connect();
    self.say('how do I create an API token');
    await self.waitForMessage((m) => m.content.type === 'article');
    self.press({ kind: 'feedback', helpful: true, articleId: 'api-tokens' }, 'Yes');
    await self.waitForMessage((m) => m.content.type === 'ces');
    self.press({ kind: 'ces', score: 7 }, '7');
    self.say('zebra migration patterns in kenya');
    self.say('zebra migration patterns');
    await self.waitFor((f) => f.type === 'conversation' && f.conversation.state === 'bot', 5000, 1);
    // Both questions' turns (and the events they log) are done before the metrics are read.
    await self.settle();

    const m = await alex.json<{
      summary: { conversations: number; selfServiceRate: number; escalationRate: number; ces: { count: number; botOnlyAverage: number; withPersonAverage: number; distribution: number[] }; firstResponse: { medianMs: number } };
      agents: { name: string; replies: number; resolved: number }[];
      articles: { articleId: string; helpful: number }[];
      unanswered: { text: string; count: number }[];
    }>('/api/metrics');
    expect(m.summary.conversations).toBeGreaterThanOrEqual(3);
    expect(m.summary.selfServiceRate).toBeGreaterThan(0);
    expect(m.summary.escalationRate).toBeGreaterThan(0);
    expect(m.summary.ces.count).toBeGreaterThanOrEqual(2);
    expect(m.summary.ces.botOnlyAverage).toBe(7);
    expect(m.summary.ces.withPersonAverage).toBe(5);
    expect(m.summary.ces.distribution[6]).toBeGreaterThanOrEqual(1);
    expect(m.summary.firstResponse.medianMs).toBeGreaterThanOrEqual(0);
    expect(m.agents.find((a) => a.name === 'Alex')?.replies).toBeGreaterThanOrEqual(1);
    expect(m.articles.find((a) => a.articleId === 'api-tokens')?.helpful).toBe(1);
    expect(m.unanswered.find((u) => /zebra/.test(u.text))?.count).toBe(2);

    // Every table, with its rows: a header alone (an empty export) fails.
    const tables: Record<string, string[][]> = {};
    for (const table of ['summary', 'daily', 'agents', 'articles', 'unanswered', 'ces']) {
      const csv = await alex.request(`/api/metrics/${table}.csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect(csv.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="answerdesk-${table}-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
      const text = await csv.text();
      expect(text.endsWith('\r\n')).toBe(true);
      tables[table] = text.trimEnd().split('\r\n').map((line) => line.split(','));
      expect(tables[table]!.length, table).toBeGreaterThan(1);
    }
    const column = (table: string, name: string) => tables[table]!.slice(1).map((row) => row[tables[table]![0]!.indexOf(name)]);
    expect(column('summary', 'conversations')).toEqual([String(m.summary.conversations)]);
    expect(column('summary', 'cesCount')).toEqual([String(m.summary.ces.count)]);
    expect(column('ces', 'score')).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(column('ces', 'count').map(Number)).toEqual(m.summary.ces.distribution);
    expect(column('agents', 'name')).toContain('Alex');
    expect(column('articles', 'articleId')).toContain('api-tokens');
    expect(column('unanswered', 'text').some((t) => /zebra/.test(t ?? ''))).toBe(true);
    expect(column('daily', 'conversations').map(Number).reduce((a, b) => a + b, 0)).toBe(m.summary.conversations);
    visitor.close();
    self.close();
  });
});
