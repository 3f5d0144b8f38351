import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../bot/types';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../support/server';
import { WidgetClient } from '../support/widget-client';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const ticketsOf = async (conversationId: string) => {
  const res = await server.admin('/api/tickets');
  const { tickets } = (await res.json()) as { tickets: { id: string; conversationId: string; status: string; attempts: unknown[] }[] };
  return tickets.filter((t) => t.conversationId === conversationId);
};

describe('widget conversation over HTTP + WebSocket', () => {
  it('answers from the knowledge base, escalates on request, and the ticket shows in the queue', async () => {
    const visitor = new WidgetClient(server.url);
    await visitor.session({ pageUrl: 'https://tidyflow.example/pricing', attributes: { plan: 'Business' } });
    await visitor.connect();

    const clientId = visitor.say('I forgot my password');
    const ack = await visitor.waitFor<{ type: 'ack'; seq: number; clientId: string; conversationId: string }>((f) => f.type === 'ack');
    expect(ack.clientId).toBe(clientId);
    expect(ack.seq).toBe(1);
    const answer = await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'article');
    expect(answer.content).toMatchObject({ type: 'article', articleId: 'reset-password', askFeedback: true, url: '/help/articles/reset-password' });

    visitor.press({ kind: 'feedback', helpful: false, articleId: 'reset-password' }, 'No');
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'choices' && m.seq > answer.seq);

    visitor.say('let me talk to a person');
    await visitor.waitFor((f) => f.type === 'conversation' && f.conversation.state === 'queued');
    const tickets = await ticketsOf(visitor.conversationId!);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]?.status).toBe('open');
    expect(tickets[0]?.attempts.length).toBeGreaterThan(0);

    // The ticket carries the transcript and the customer's context.
    const detail = (await (await server.admin(`/api/tickets/${tickets[0]!.id}`)).json()) as {
      messages: { author: string }[];
      customer: { attributes: Record<string, unknown>; pageUrl: string };
    };
    expect(detail.messages.map((m) => m.author)).toContain('bot');
    expect(detail.customer.attributes).toEqual({ plan: 'Business' });
    expect(detail.customer.pageUrl).toBe('https://tidyflow.example/pricing');

    // Once a person owns it the bot stays silent.
    const before = (await visitor.history()).filter((m) => m.author === 'bot').length;
    visitor.say('how do I cancel my subscription');
    await visitor.settle();
    const stored = await visitor.history();
    expect(stored.some((m) => m.author === 'customer' && m.content.type === 'text' && m.content.text.includes('cancel'))).toBe(true);
    expect(stored.filter((m) => m.author === 'bot').length).toBe(before);

    // An agent reply reaches the widget live; resolving asks the CES question.
    const reply = await server.admin(`/api/tickets/${tickets[0]!.id}/reply`, { method: 'POST', body: JSON.stringify({ text: 'Hi, I can help with that.' }) });
    expect(reply.status).toBe(201);
    await visitor.waitForMessage((m) => m.author === 'agent' && m.content.type === 'text' && m.content.text === 'Hi, I can help with that.');
    await server.admin(`/api/tickets/${tickets[0]!.id}/notes`, { method: 'POST', body: JSON.stringify({ text: 'internal: VIP customer' }) });
    await server.admin(`/api/tickets/${tickets[0]!.id}/resolve`, { method: 'POST' });
    await visitor.waitForMessage((m) => m.content.type === 'ces');
    visitor.press({ kind: 'ces', score: 6 }, '6');
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'text' && /thank you/i.test(m.content.text));
    expect(JSON.stringify(visitor.frames)).not.toContain('internal: VIP customer');
    visitor.close();
  });

  it('replays from the last sequence number on reconnect: no gaps, no duplicates', async () => {
    const visitor = new WidgetClient(server.url);
    await visitor.session();
    await visitor.connect();
    visitor.say('refund');
    await visitor.waitForMessage((m) => m.author === 'bot');
    visitor.say('api token');
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'article' && m.content.articleId === 'api-tokens');
    const seen = visitor.messages();
    const lastSeq = seen[1]!.seq;
    visitor.close();

    const again = new WidgetClient(server.url);
    again.token = visitor.token;
    again.conversationId = visitor.conversationId;
    await again.connect(lastSeq);
    const replayed = again.messages().map((m) => m.seq);
    expect(replayed).toEqual(seen.filter((m) => m.seq > lastSeq).map((m) => m.seq));
    again.close();
  });

  it('stores a re-sent message (same clientId) once and answers it once', async () => {
    const visitor = new WidgetClient(server.url);
    await visitor.session();
    await visitor.connect();
    visitor.say('refund', 'same-id-1');
    visitor.say('refund', 'same-id-1');
    const acks = [await visitor.waitFor((f) => f.type === 'ack'), await visitor.waitFor((f) => f.type === 'ack', 5000, visitor.frames.findIndex((f) => f.type === 'ack') + 1)];
    expect(acks.map((a) => (a as { seq: number }).seq)).toEqual([1, 1]);
    await visitor.settle();
    const history = (await (await fetch(`${server.url}/api/widget/messages`, { headers: { authorization: `Bearer ${visitor.token}` } })).json()) as {
      messages: { author: string }[];
    };
    expect(history.messages.filter((m) => m.author === 'customer')).toHaveLength(1);
    expect(history.messages.filter((m) => m.author === 'bot')).toHaveLength(1);
    visitor.close();
  });

  it('keeps visitors apart: another token reads only its own conversation; forged tokens are refused', async () => {
    const alice = new WidgetClient(server.url);
    await alice.session();
    await alice.connect();
    alice.say('I forgot my password');
    await alice.waitForMessage((m) => m.author === 'bot');

    const bob = new WidgetClient(server.url);
    await bob.session();
    const bobHistory = (await (await fetch(`${server.url}/api/widget/messages`, { headers: { authorization: `Bearer ${bob.token}` } })).json()) as {
      messages: unknown[];
    };
    expect(bobHistory.messages).toEqual([]);
    await bob.connect(0);
    const from = bob.frames.length;
    bob.send({ type: 'hello', conversationId: alice.conversationId, lastSeq: 0 });
    // hello sends what the socket may see, then `ready`: nothing of Alice's came before it.
    await bob.waitFor((f) => f.type === 'ready', 5000, from);
    expect(bob.messages()).toEqual([]);

    const [v, id, key] = alice.token.split('.');
    const forged = `${v}.${id}.${key}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    await expect(new WidgetClient(server.url).connect(0, forged)).rejects.toThrow(/401/);
    expect((await fetch(`${server.url}/api/widget/messages`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    alice.close();
    bob.close();
  });

  it('refuses WebSocket upgrades from origins that are not allowed', async () => {
    const visitor = new WidgetClient(server.url);
    await visitor.session();
    const evil = new WidgetClient(server.url, 'https://evil.example');
    evil.token = visitor.token;
    await expect(evil.connect()).rejects.toThrow(/403/);
  });

  it('keeps hostile text inert and reports oversized or malformed frames without dropping the socket', async () => {
    const visitor = new WidgetClient(server.url);
    await visitor.session();
    await visitor.connect();
    visitor.say('<img src=x onerror=alert(1)>');
    const stored = await visitor.waitForMessage((m) => m.author === 'customer');
    expect(stored.content).toEqual({ type: 'text', text: '<img src=x onerror=alert(1)>' });

    visitor.say('a'.repeat(5000));
    expect(await visitor.waitFor((f) => f.type === 'error' && f.code === 'message_too_large')).toBeTruthy();
    visitor.sendRaw('{not json');
    expect(await visitor.waitFor((f) => f.type === 'error' && f.code === 'bad_frame')).toBeTruthy();
    visitor.send({ type: 'message', text: 'no client id' });
    await visitor.waitFor((f) => f.type === 'error' && f.code === 'bad_frame' && !/JSON/.test(f.message));
    visitor.say('a\u0000b\u0007c');
    await visitor.waitForMessage((m) => m.content.type === 'text' && m.content.text === 'abc');
    visitor.send({ type: 'ping' });
    await visitor.waitFor((f) => f.type === 'pong');
    visitor.close();
  });
});

interface CsatSummary {
  enabled: boolean;
  count: number;
  average: number | null;
  satisfiedRate: number | null;
  botOnly: { count: number; average: number | null };
  withPerson: { count: number; average: number | null };
}
const csatOf = async (srv: TestServer): Promise<CsatSummary> =>
  ((await (await srv.admin('/api/metrics')).json()) as { summary: { csat: CsatSummary } }).summary.csat;

/** A visitor whose question the bot answered and who said "yes, this helped": the CES question is up. */
async function selfServedVisitor(srv: TestServer): Promise<WidgetClient> {
  const visitor = new WidgetClient(srv.url);
  await visitor.session();
  await visitor.connect();
  visitor.say('I forgot my password');
  await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'article');
  visitor.press({ kind: 'feedback', helpful: true, articleId: 'reset-password' }, 'Yes, this helped');
  await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'ces');
  return visitor;
}

describe('optional CSAT survey (CSAT_ENABLED=true)', () => {
  let csatServer: TestServer;
  beforeAll(async () => {
    csatServer = await startTestServer({ CSAT_ENABLED: 'true' });
  });
  afterAll(async () => {
    await csatServer.close();
  });

  it('asks CSAT after the CES answer, refuses bad scores, counts the first answer on the dashboard', async () => {
    expect(await csatOf(csatServer)).toMatchObject({ enabled: true, count: 0, average: null });
    const visitor = await selfServedVisitor(csatServer);
    visitor.press({ kind: 'ces', score: 6 }, '6 out of 7');
    const question = await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'csat');
    expect(question.content).toEqual({ type: 'csat', question: 'How satisfied are you with the help you received?', scale: 5 });
    // CES is not thanked separately: the CSAT question follows it at once.
    expect(visitor.messages().some((m) => m.author === 'bot' && m.content.type === 'text' && /thank you/i.test(m.content.text))).toBe(false);

    // Scores outside 1–5, not numbers, or missing never reach the conversation.
    const bad = [0, 6, 'abc', undefined].map((score) => visitor.press({ kind: 'csat', score } as unknown as Action, 'bad'));
    const refusals = () => visitor.frames.filter((f) => f.type === 'error' && f.code === 'bad_frame');
    await visitor.waitFor(() => refusals().length === bad.length);
    expect(refusals().map((f) => (f as { message: string }).message)).toEqual(bad.map(() => expect.stringMatching(/^action\.score: /)));

    visitor.press({ kind: 'csat', score: 5 }, '5 out of 5');
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'text' && /thank you/i.test(m.content.text));
    // A second answer (another tab, a replay) changes nothing.
    visitor.press({ kind: 'csat', score: 1 }, '1 out of 5');
    await visitor.waitForMessage((m) => m.author === 'customer' && m.content.type === 'action' && m.content.label === '1 out of 5');
    expect(await csatOf(csatServer)).toMatchObject({ enabled: true, count: 1, average: 5, satisfiedRate: 1, botOnly: { count: 1, average: 5 }, withPerson: { count: 0 } });
    expect(visitor.messages().filter((m) => m.author === 'bot' && m.content.type === 'text' && /thank you/i.test(m.content.text))).toHaveLength(1);
    expect(visitor.frames.some((f) => f.type === 'ack' && bad.includes(f.clientId))).toBe(false);
    visitor.close();
  });

  it('asks CSAT after an agent resolves too, and splits it from the bot-only answers', async () => {
    const visitor = new WidgetClient(csatServer.url);
    await visitor.session();
    await visitor.connect();
    visitor.press({ kind: 'handoff' }, 'Talk to a person');
    await visitor.waitFor((f) => f.type === 'conversation' && f.conversation.state === 'queued');
    const tickets = (await (await csatServer.admin('/api/tickets')).json()) as { tickets: { id: string; conversationId: string }[] };
    const ticket = tickets.tickets.find((t) => t.conversationId === visitor.conversationId)!;
    await csatServer.admin(`/api/tickets/${ticket.id}/resolve`, { method: 'POST' });
    await visitor.waitForMessage((m) => m.content.type === 'ces');
    visitor.press({ kind: 'ces', score: 4 }, '4 out of 7');
    await visitor.waitForMessage((m) => m.content.type === 'csat');
    visitor.press({ kind: 'csat', score: 2 }, '2 out of 5');
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'text' && /thank you/i.test(m.content.text));
    const csat = await csatOf(csatServer);
    expect(csat).toMatchObject({ count: 2, average: 3.5, satisfiedRate: 0.5, botOnly: { count: 1, average: 5 }, withPerson: { count: 1, average: 2 } });
    const csv = await (await csatServer.admin('/api/metrics/summary.csv')).text();
    const [head, row] = csv.trim().split('\r\n').map((l) => l.split(','));
    expect(row![head!.indexOf('csatCount')]).toBe('2');
    expect(row![head!.indexOf('csatAverage')]).toBe('3.5');
    expect(await (await csatServer.admin('/api/metrics/csat.csv')).text()).toBe('score,count\r\n1,0\r\n2,1\r\n3,0\r\n4,0\r\n5,1\r\n');
    visitor.close();
  });
});

describe('CSAT switched off (the default)', () => {
  it('thanks for the CES answer as before, never asks CSAT and ignores a CSAT press', async () => {
    const visitor = await selfServedVisitor(server);
    visitor.press({ kind: 'ces', score: 7 }, '7 out of 7');
    await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'text' && /thank you/i.test(m.content.text));
    visitor.press({ kind: 'csat', score: 5 }, '5 out of 5');
    await visitor.settle();
    const stored = await visitor.history();
    expect(stored.some((m) => m.author === 'customer' && m.content.type === 'action' && m.content.action.kind === 'csat')).toBe(true);
    expect(stored.some((m) => m.content.type === 'csat')).toBe(false);
    expect(stored.filter((m) => m.author === 'bot' && m.content.type === 'text' && /thank you/i.test(m.content.text))).toHaveLength(1);
    expect(await csatOf(server)).toMatchObject({ enabled: false, count: 0 });
    visitor.close();
  });
});

describe('offline hand-off', () => {
  it('without email set up (no SMTP_URL) never asks for an email nor promises one', async () => {
    const visitor = new WidgetClient(server.url);
    await visitor.session();
    await visitor.connect();
    expect(visitor.frames.find((f) => f.type === 'ready')).toMatchObject({ availability: { agentsOnline: false, emailReplies: false } });
    visitor.press({ kind: 'handoff' }, 'Talk to a person');
    const told = await visitor.waitForMessage((m) => m.author === 'bot' && m.content.type === 'text' && /come back to this chat/.test(m.content.text));
    expect(JSON.stringify(told.content)).not.toMatch(/email/i);
    expect(visitor.messages().some((m) => m.content.type === 'email_request')).toBe(false);
    // One message for the hand-over: no "connecting you" while nobody can be connected.
    await visitor.settle();
    const said = visitor.messages().filter((m) => m.author === 'bot' && m.content.type === 'text').map((m) => (m.content as { text: string }).text);
    expect(said).toEqual([told.content.type === 'text' ? told.content.text : '']);
    visitor.close();
  });

  it('asks for an email when no agent is online, and the ticket keeps it', async () => {
    // Email is set up (the SMTP relay is never reached: nobody replies here).
    const server = await startTestServer({ SMTP_URL: 'smtp://127.0.0.1:9', EMAIL_FROM: 'support@tidyflow.test' });
    const ticketsOf = async (conversationId: string) => ((await (await server.admin('/api/tickets')).json()) as { tickets: { id: string; conversationId: string }[] }).tickets.filter((t) => t.conversationId === conversationId);
    const visitor = new WidgetClient(server.url);
    await visitor.session();
    await visitor.connect();
    expect(visitor.frames.find((f) => f.type === 'ready')).toMatchObject({ availability: { agentsOnline: false } });
    visitor.press({ kind: 'handoff' }, 'Talk to a person');
    const request = await visitor.waitForMessage((m) => m.content.type === 'email_request');
    expect(request.content).toMatchObject({ text: expect.stringMatching(/email/i) });
    visitor.press({ kind: 'email', email: 'grace@example.com' }, 'grace@example.com');
    await visitor.waitFor((f) => f.type === 'conversation' && f.conversation.email === 'grace@example.com');
    const ticket = (await ticketsOf(visitor.conversationId!))[0]!;
    const detail = (await (await server.admin(`/api/tickets/${ticket.id}`)).json()) as { customer: { email: string }; conversation: { email: string } };
    expect(detail.customer.email).toBe('grace@example.com');
    expect(detail.conversation.email).toBe('grace@example.com');
    visitor.close();
    await server.close();
  });
});

describe('HTTP hygiene', () => {
  it('answers malformed and oversized JSON with 4xx', async () => {
    const bad = await fetch(`${server.url}/api/widget/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"key":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'malformed_json', message: 'request body is not valid JSON' } });
    const big = await fetch(`${server.url}/api/widget/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'x'.repeat(100_000) }) });
    expect(big.status).toBe(413);
    const wrongKey = await fetch(`${server.url}/api/widget/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'nope' }) });
    expect(wrongKey.status).toBe(400);
  });

  it('protects the ticket API', async () => {
    expect((await fetch(`${server.url}/api/tickets`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/tickets`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${server.url}/api/tickets`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
  });

  it('serves health, readiness and security headers', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    const csp = ready.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'nonce-/);
    expect(ready.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('suggests articles as the visitor types, with lunr syntax treated as words', async () => {
    const res = await fetch(`${server.url}/api/widget/suggest?key=demo&q=${encodeURIComponent('title:refu')}`);
    const body = (await res.json()) as { articles: { id: string }[] };
    expect(body.articles[0]?.id).toBe('refund-policy');
  });
});

describe('rate limits', () => {
  it('slows down a visitor who sends too fast', async () => {
    const limited = await startTestServer({ RATE_LIMIT_VISITOR_PER_MINUTE: '3' });
    try {
      const visitor = new WidgetClient(limited.url);
      await visitor.session();
      await visitor.connect();
      for (let i = 0; i < 4; i++) visitor.say(`hello ${i}`);
      expect(await visitor.waitFor((f) => f.type === 'error' && f.code === 'rate_limited')).toBeTruthy();
      visitor.close();
    } finally {
      await limited.close();
    }
  });
});
