import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillPage } from '../../server/metrics/drill';
import type { Metrics } from '../../server/metrics/dashboard';
import { startTestServer, type TestServer } from '../support/server';
import { WidgetClient } from '../support/widget-client';

/**
 * The live path, over HTTP: a widget visitor reads the bot's answer and leaves; the scheduled
 * job closes the conversation as an assumed resolution (the widget is told); the dashboard,
 * its segments, the drill-down and the transcript show it; bad input gets a 4xx, never a 5xx.
 */
let server: TestServer;
let visitor: WidgetClient;
const today = new Date().toISOString().slice(0, 10);
const json = async <T>(path: string): Promise<T> => {
  const res = await server.admin(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

beforeAll(async () => {
  // Idle after 0.3 s, looked for every 50 ms: the test waits on the widget's "resolved" frame, not on time.
  server = await startTestServer({ BOT_IDLE_RESOLVE_MINUTES: '0.005', METRICS_JOB_POLL_MS: '50', NPS_ENABLED: 'true' });
  visitor = new WidgetClient(server.url);
  await visitor.session({ name: 'Grace', attributes: { plan: 'Business', seats: 12 } });
  await visitor.connect();
  visitor.say('How do I reset my password?');
  await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'article');
});
afterAll(async () => {
  visitor?.close();
  await server?.close();
});

describe('metrics over HTTP', () => {
  it('closes the idle conversation as an assumed resolution, once, and the widget hears of it', async () => {
    await visitor.waitFor((f) => f.type === 'conversation' && f.conversation.state === 'resolved', 10_000);
    const m = await json<Metrics>(`/api/metrics?from=${today}&to=${today}`);
    expect(m.summary.conversations).toBe(1);
    expect(m.summary.outcomes).toEqual({ confirmed: 0, assumed: 1, escalated: 0, abandoned: 0, open: 0 });
    expect(m.summary.selfServiceRate).toBe(1);
    expect(m.summary.nps.enabled).toBe(true);
    const events = await server.desk.store.events.ofConversation(visitor.conversationId!);
    expect(events.filter((e) => e.type === 'auto_closed').map((e) => e.data.outcome)).toEqual(['assumed']);
    // CES follows every resolution, the assumed one too; the answer counts.
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'ces', 10_000);
    visitor.press({ kind: 'ces', score: 5 }, '5 out of 7');
    // NPS_ENABLED: the NPS question follows.
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'nps');
    visitor.press({ kind: 'nps', score: 3 }, '3 out of 10');
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'text' && /thank you/i.test(m.content.text));
    const after = (await json<Metrics>(`/api/metrics?from=${today}&to=${today}`)).summary;
    expect(after.ces).toMatchObject({ count: 1, average: 5, botOnlyAverage: 5 });
    expect(after.nps).toMatchObject({ count: 1, score: -100, detractors: 1 });
  });

  it('filters by a customer attribute the site sent, and by channel', async () => {
    const count = async (q: string) => (await json<Metrics>(`/api/metrics?from=${today}&to=${today}&${q}`)).summary.conversations;
    expect(await count('attr=plan%3DBusiness')).toBe(1);
    expect(await count('attr=seats%3D12')).toBe(1);
    expect(await count('attr=plan%3DFree')).toBe(0);
    expect(await count('channel=web')).toBe(1);
    expect(await count('channel=slack')).toBe(0);
    expect(await count('language=en')).toBe(1);
  });

  it('lists the conversations behind a figure and opens the transcript', async () => {
    const page = await json<DrillPage>(`/api/metrics/conversations?from=${today}&to=${today}&figure=assumed`);
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({ conversationId: visitor.conversationId, outcome: 'assumed', channel: 'web', customerName: 'Grace', ticketId: null });
    expect((await json<DrillPage>(`/api/metrics/conversations?from=${today}&to=${today}&figure=escalated`)).total).toBe(0);
    const transcript = await json<{ messages: { author: string; content: { type: string; text?: string } }[]; customer: { attributes: Record<string, unknown> } }>(
      `/api/metrics/conversations/${visitor.conversationId}`,
    );
    expect(transcript.messages[0]).toMatchObject({ author: 'customer', content: { type: 'text', text: 'How do I reset my password?' } });
    expect(transcript.messages.some((m) => m.author === 'bot')).toBe(true);
    expect(transcript.customer.attributes).toEqual({ plan: 'Business', seats: 12 });
  });

  it('serves the definitions the console shows', async () => {
    const defs = await json<Record<string, { label: string; text: string }>>('/api/metrics/definitions');
    expect(defs.assumed!.text).toContain('BOT_IDLE_RESOLVE_MINUTES');
    expect(defs.fcr!.text).toContain('7 days');
  });

  it('looks CSV names up as own keys: inherited names are 404, never 500', async () => {
    expect((await server.admin(`/api/metrics/summary.csv?from=${today}&to=${today}`)).status).toBe(200);
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'nope']) {
      const res = await server.admin(`/api/metrics/${name}.csv`);
      expect({ name, status: res.status }).toEqual({ name, status: 404 });
    }
  });

  it('answers bad input with a 4xx', async () => {
    const bad = [
      `/api/metrics?from=${today}&to=2000-01-01`,
      '/api/metrics?from=2026-02-30&to=2026-03-01',
      '/api/metrics?from=2020-01-01&to=2026-01-01',
      '/api/metrics?attr=plan',
      '/api/metrics?attr=%24bad%20key%3Dx',
      '/api/metrics?language=english',
      '/api/metrics?channel=fax',
      '/api/metrics?from=2026-01-01&from=2026-01-02',
      '/api/metrics/conversations?figure=constructor',
      '/api/metrics/conversations?figure=assumed&offset=-1',
      '/api/metrics/conversations?figure=assumed&offset=abc',
      '/api/metrics/conversations',
    ];
    for (const path of bad) {
      const res = await server.admin(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
    expect((await server.admin('/api/metrics/conversations/no-such-conversation')).status).toBe(404);
    expect((await server.admin('/api/metrics/conversations/..%2F..%2Fetc')).status).toBe(404);
  });
});
