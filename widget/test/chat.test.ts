import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HistoryResponse, SessionRequest } from '../../server/channels/web/protocol';
import { Chat, cleanIdentity, DEFAULT_MESSAGE_MAX_BYTES, wsUrl } from '../src/panel/chat';
import { type KV, WidgetStorage } from '../src/panel/storage';
import { FakeSocket } from './fake-socket';
import { msg } from './fixtures';

const availability = { agentsOnline: true, withinBusinessHours: true, emailReplies: true, expectedReply: 'soon' };
const limits = { messageMaxBytes: 4096 };

class MemoryKV implements KV {
  data = new Map<string, string>();
  getItem = (k: string) => this.data.get(k) ?? null;
  setItem = (k: string, v: string) => void this.data.set(k, v);
  removeItem = (k: string) => void this.data.delete(k);
}

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function fakeServer(history: HistoryResponse = { conversation: null, messages: [] }) {
  const calls: Call[] = [];
  let n = 0;
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    if (String(url).endsWith('/api/widget/session')) {
      const body = JSON.parse(String(init?.body)) as SessionRequest;
      return Response.json({ token: body.token ?? `tok-${++n}`, customerId: 'cust-1', availability, limits });
    }
    if (String(url).includes('/api/widget/messages')) return Response.json(history);
    return new Response('not found', { status: 404 });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

let ids = 0;
function newChat(kv: KV, fetch: typeof globalThis.fetch) {
  return new Chat({
    origin: 'https://support.example.com',
    key: 'demo',
    identity: { attributes: { plan: 'Business' } },
    pageUrl: 'https://www.example.com/pricing',
    storage: new WidgetStorage('demo', kv),
    fetch,
    createSocket: (url) => new FakeSocket(url),
    uuid: () => `id-${++ids}`,
    random: () => 0,
  });
}

const tick = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  FakeSocket.all = [];
  ids = 0;
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('chat controller', () => {
  it('creates a session, connects with the token and resumes from the saved seq after a reload', async () => {
    const kv = new MemoryKV();
    const server = fakeServer();
    const first = newChat(kv, server.fetch);
    first.start();
    await tick();
    const session = JSON.parse(String(server.calls[0]?.init?.body)) as SessionRequest;
    expect(session).toEqual({ key: 'demo', attributes: { plan: 'Business' }, pageUrl: 'https://www.example.com/pricing' });
    expect(kv.getItem('answerdesk:demo:token')).toBe('tok-1');
    const s1 = FakeSocket.latest();
    expect(s1.url).toBe('wss://support.example.com/api/widget/ws?token=tok-1');
    s1.open();
    expect(s1.ofType('hello')).toEqual([{ type: 'hello', lastSeq: 0 }]);
    s1.receive({ type: 'message', message: msg(1, 'Hi!') });
    s1.receive({ type: 'message', message: msg(2, 'How can I help?') });
    s1.receive({ type: 'ready', conversation: { id: 'c1', channel: 'web', state: 'bot' }, availability, limits });
    first.stop();

    // Next page load: the old token goes back to the server and hello carries the saved position.
    const second = newChat(kv, server.fetch);
    expect(second.state.transcript.messages).toHaveLength(2);
    second.start();
    await tick();
    expect((JSON.parse(String(server.calls[1]?.init?.body)) as SessionRequest).token).toBe('tok-1');
    const s2 = FakeSocket.latest();
    expect(s2.url).toContain('token=tok-1');
    s2.open();
    expect(s2.ofType('hello')).toEqual([{ type: 'hello', conversationId: 'c1', lastSeq: 2 }]);
    s2.receive({ type: 'message', message: msg(2, 'How can I help?') });
    s2.receive({ type: 'message', message: msg(3, 'Still there?') });
    expect(second.state.transcript.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    second.stop();
  });

  it('re-sends unacked messages with the same clientId after a reconnect, but not acked ones', async () => {
    const kv = new MemoryKV();
    const chat = newChat(kv, fakeServer().fetch);
    chat.start();
    await tick();
    const s1 = FakeSocket.latest();
    s1.open();
    s1.receive({ type: 'ready', conversation: null, availability, limits });
    expect(chat.sendText('first')).toBe(true);
    expect(chat.sendText('second')).toBe(true);
    expect(s1.ofType('message').map((f) => f.clientId)).toEqual(['id-1', 'id-2']);
    s1.receive({ type: 'ack', clientId: 'id-1', seq: 1, conversationId: 'c1' });
    s1.drop();
    await vi.advanceTimersByTimeAsync(1000);
    const s2 = FakeSocket.latest();
    expect(s2).not.toBe(s1);
    s2.open();
    expect(s2.ofType('message')).toEqual([]); // nothing before ready
    s2.receive({ type: 'message', message: msg(1, 'first', { author: 'customer', clientId: 'id-1' }) });
    s2.receive({ type: 'ready', conversation: { id: 'c1', channel: 'web', state: 'bot' }, availability, limits });
    expect(s2.ofType('message')).toEqual([{ type: 'message', clientId: 'id-2', text: 'second' }]);
    expect(chat.state.transcript.outbox.map((o) => [o.frame.clientId, o.status])).toEqual([['id-2', 'sending']]);
    chat.stop();
  });

  it('keeps unsent messages across a reload and sends them once connected', async () => {
    const kv = new MemoryKV();
    const server = fakeServer();
    const offline = newChat(kv, server.fetch);
    offline.sendText('typed while offline');
    const later = newChat(kv, server.fetch);
    later.start();
    await tick();
    const s = FakeSocket.latest();
    s.open();
    s.receive({ type: 'ready', conversation: null, availability, limits });
    expect(s.ofType('message')).toEqual([{ type: 'message', clientId: 'id-1', text: 'typed while offline' }]);
    later.stop();
  });

  it('refuses empty and oversized text and shows refused messages as failed', async () => {
    const chat = newChat(new MemoryKV(), fakeServer().fetch);
    expect(chat.sendText('   ')).toBe(false);
    expect(chat.sendText('é'.repeat(DEFAULT_MESSAGE_MAX_BYTES / 2 + 1))).toBe(false);
    expect(chat.sendText('x'.repeat(DEFAULT_MESSAGE_MAX_BYTES))).toBe(true);
    chat.start();
    await tick();
    const s = FakeSocket.latest();
    s.open();
    s.receive({ type: 'ready', conversation: null, availability, limits: { messageMaxBytes: 1000 } });
    // The server's own limit replaces the default as soon as it is known.
    expect(chat.sendText('x'.repeat(1001))).toBe(false);
    expect(chat.sendText('x'.repeat(1000))).toBe(true);
    s.receive({ type: 'error', code: 'message_too_large', message: 'too big', clientId: 'id-1' });
    expect(chat.state.transcript.outbox[0]).toMatchObject({ status: 'failed', errorCode: 'message_too_large' });
    s.receive({ type: 'error', code: 'rate_limited', message: 'slow down' });
    expect(chat.state.error).toEqual({ code: 'rate_limited', message: 'slow down' });
    chat.stop();
  });

  it('counts unread while closed and clears them on open', async () => {
    const chat = newChat(new MemoryKV(), fakeServer().fetch);
    chat.start();
    await tick();
    const s = FakeSocket.latest();
    s.open();
    s.receive({ type: 'message', message: msg(1, 'hello', { author: 'agent', authorName: 'Alex' }) });
    s.receive({ type: 'typing', author: 'agent', name: 'Alex' });
    expect(chat.state.typing).toEqual({ author: 'agent', name: 'Alex' });
    s.receive({ type: 'message', message: msg(2, 'are you there?', { author: 'agent', authorName: 'Alex' }) });
    expect(chat.state.typing).toBeNull();
    expect(chat.state.transcript.unread).toBe(2);
    chat.setOpen(true);
    expect(chat.state.transcript.unread).toBe(0);
    s.receive({ type: 'message', message: msg(3, 'great', { author: 'agent' }) });
    expect(chat.state.transcript.unread).toBe(0);
    chat.stop();
  });

  it('falls back to polling the REST history while the socket cannot connect', async () => {
    const kv = new MemoryKV();
    const server = fakeServer({ conversation: { id: 'c1', channel: 'web', state: 'assigned', agentName: 'Alex' }, messages: [msg(1, 'from REST', { author: 'agent' })] });
    const chat = newChat(kv, server.fetch);
    chat.start();
    await tick();
    FakeSocket.latest().drop();
    await vi.advanceTimersByTimeAsync(1000);
    FakeSocket.latest().drop();
    await vi.advanceTimersByTimeAsync(2000);
    expect(server.calls.some((c) => c.url.includes('/messages'))).toBe(false);
    FakeSocket.latest().drop();
    await tick();
    const poll = server.calls.find((c) => c.url.includes('/messages'));
    expect(poll?.url).toBe('https://support.example.com/api/widget/messages?after=0');
    expect(new Headers(poll?.init?.headers).get('authorization')).toMatch(/^Bearer tok-/);
    expect(chat.state.link).toBe('fallback');
    expect(chat.state.transcript.messages.map((m) => m.content)).toEqual([{ type: 'text', text: 'from REST' }]);
    expect(chat.state.conversation?.agentName).toBe('Alex');
    chat.stop();
  });
});

describe('helpers', () => {
  it('builds the socket URL on the script origin', () => {
    expect(wsUrl('http://localhost:3000', 'a.b+c')).toBe('ws://localhost:3000/api/widget/ws?token=a.b%2Bc');
  });

  it('drops identity fields the server would reject', () => {
    expect(cleanIdentity({ name: '  Ana ', email: 'not-an-email', attributes: { plan: 'Business', seats: 12, bad: {} as unknown as string } })).toEqual({
      name: 'Ana',
      attributes: { plan: 'Business', seats: 12 },
    });
  });
});
