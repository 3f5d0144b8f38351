import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerFrame } from '../../server/channels/web/protocol';
import { backoffDelay, Connection, type ConnectionStatus, PING_MS } from '../src/panel/connection';
import { FakeSocket } from './fake-socket';

const availability = { agentsOnline: true, withinBusinessHours: true, emailReplies: true, expectedReply: 'soon' };
const limits = { messageMaxBytes: 4096 };

function setup(random = () => 0) {
  const frames: ServerFrame[] = [];
  const statuses: [ConnectionStatus, number][] = [];
  const conn = new Connection({
    url: () => 'ws://x/api/widget/ws?token=t',
    createSocket: (url) => new FakeSocket(url),
    onOpen: () => conn.send({ type: 'hello', lastSeq: 0 }),
    onFrame: (f) => frames.push(f),
    onStatus: (s, failures) => statuses.push([s, failures]),
    random,
  });
  return { conn, frames, statuses };
}

/** Let the (async) connect run. */
const tick = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('backoff', () => {
  it('waits 1 s, 2 s, 5 s, then 10 s at most, with up to 30 % jitter below', () => {
    expect([0, 1, 2, 3, 4, 9].map((a) => backoffDelay(a, () => 0))).toEqual([1000, 2000, 5000, 10_000, 10_000, 10_000]);
    expect(backoffDelay(0, () => 0.999)).toBeGreaterThanOrEqual(700);
    expect(backoffDelay(3, () => 0.5)).toBe(8500);
    for (let i = 0; i < 50; i++) expect(backoffDelay(i)).toBeLessThanOrEqual(10_000);
  });
});

describe('connection', () => {
  it('reconnects after a close with growing delays, and resets them once ready', async () => {
    const { conn, statuses } = setup();
    conn.start();
    await tick();
    expect(FakeSocket.all).toHaveLength(1);
    FakeSocket.latest().drop();
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeSocket.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.latest().drop();
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeSocket.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(3);
    expect(statuses.filter(([s]) => s === 'waiting').map(([, f]) => f)).toEqual([1, 2]);

    const s = FakeSocket.latest();
    s.open();
    s.receive({ type: 'ready', conversation: null, availability, limits });
    s.drop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.all).toHaveLength(4);
    conn.stop();
  });

  it('sends hello on open, pings every 25 s while open, swallows pong', async () => {
    const { conn, frames } = setup();
    conn.start();
    await tick();
    const s = FakeSocket.latest();
    s.open();
    expect(s.sent).toEqual([{ type: 'hello', lastSeq: 0 }]);
    await vi.advanceTimersByTimeAsync(PING_MS * 2);
    expect(s.ofType('ping')).toHaveLength(2);
    s.receive({ type: 'pong' });
    expect(frames).toEqual([]);
    s.drop();
    await vi.advanceTimersByTimeAsync(PING_MS * 2);
    expect(s.ofType('ping')).toHaveLength(2);
    conn.stop();
  });

  it('drops the socket and reconnects on a `reconnect` frame', async () => {
    const { conn } = setup();
    conn.start();
    await tick();
    const s = FakeSocket.latest();
    s.open();
    s.receive({ type: 'ready', conversation: null, availability, limits });
    s.receive({ type: 'reconnect' });
    expect(s.closedByClient).toBe(true);
    expect(conn.send({ type: 'ping' })).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.all).toHaveLength(2);
    // The old socket's late close must not schedule a second reconnect.
    s.onclose?.({ code: 1012 });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(FakeSocket.all).toHaveLength(2);
    conn.stop();
  });

  it('retries when the URL cannot be obtained (session request failed)', async () => {
    let calls = 0;
    const conn = new Connection({
      url: () => {
        calls++;
        if (calls < 3) return Promise.reject(new Error('offline'));
        return 'ws://x';
      },
      createSocket: (url) => new FakeSocket(url),
      onOpen: () => undefined,
      onFrame: () => undefined,
      onStatus: () => undefined,
      random: () => 0,
    });
    conn.start();
    await vi.advanceTimersByTimeAsync(1000 + 2000);
    expect(calls).toBe(3);
    expect(FakeSocket.all).toHaveLength(1);
    conn.stop();
  });
});
