import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../server/realtime/bus';
import { PgBus } from '../../server/realtime/pg-bus';
import { freshSchema, postgresRequiredInCi, TEST_DATABASE_URL } from '../support/stores';
import { sleep } from './cluster';

let reachable = false;
const buses: PgBus[] = [];
beforeAll(async () => {
  reachable = await postgresRequiredInCi('the PgBus tests');
});
afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});

async function start(channel: string): Promise<PgBus> {
  const bus = await PgBus.start({ connectionString: TEST_DATABASE_URL, channel });
  buses.push(bus);
  return bus;
}

function collect(bus: PgBus): BusEvent[] {
  const seen: BusEvent[] = [];
  bus.subscribe((e) => seen.push(e));
  return seen;
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

describe('PgBus (LISTEN/NOTIFY between instances)', () => {
  it('delivers to the other instance, and to its own subscribers exactly once', async (ctx) => {
    if (!reachable) return ctx.skip();
    const channel = `answerdesk_events_${freshSchema()}`;
    const [a, b] = [await start(channel), await start(channel)];
    const [seenA, seenB] = [collect(a), collect(b)];
    const events: BusEvent[] = Array.from({ length: 600 }, (_, i) => ({ type: 'message', conversationId: `c${i % 7}`, seq: i }));
    // Many events in one tick: several NOTIFY payloads, each under 8000 bytes, still in order.
    for (const e of events) a.publish(e);
    b.publish({ type: 'presence' });
    await until(() => seenB.length === 601 && seenA.length === 601);
    // A marker from each side: notifications reach a listener in commit order, so an echo of
    // anything published earlier would arrive before the other side's marker (no fixed sleep).
    a.publish({ type: 'presence' });
    b.publish({ type: 'presence' });
    const presences = (seen: BusEvent[]) => seen.filter((e) => e.type === 'presence').length;
    await until(() => presences(seenA) === 3 && presences(seenB) === 3);
    expect(seenB.filter((e) => e.type === 'message')).toEqual(events);
    expect(seenA.filter((e) => e.type === 'message')).toEqual(events);
    expect(seenA).toHaveLength(603);
    expect(seenB).toHaveLength(603);
  });

  it('keeps stored rows and local-only events on this instance; sends remote-only events to the others alone', async (ctx) => {
    if (!reachable) return ctx.skip();
    const channel = `answerdesk_events_${freshSchema()}`;
    const [a, b] = [await start(channel), await start(channel)];
    const [seenA, seenB] = [collect(a), collect(b)];
    const row = { id: 'm1', conversationId: 'c1', seq: 1, author: 'customer' as const, content: { type: 'text' as const, text: 'hi' }, createdAt: new Date().toISOString() };
    a.publish({ type: 'message', conversationId: 'c1', seq: 1, messages: [row] }, 'local');
    a.publish({ type: 'message', conversationId: 'c1', seq: 2, messages: [{ ...row, id: 'm2', seq: 2 }] });
    a.publish({ type: 'conversation', conversationId: 'c1', opened: true }, 'remote');
    await until(() => seenB.length === 2);
    await sleep(200); // an echo or a stray local-only event would arrive by now
    // This instance: the local one and the everywhere one, rows included; not the remote-only one.
    expect(seenA.map((e) => (e.type === 'message' ? [e.seq, e.messages?.length] : e.type))).toEqual([[1, 1], [2, 1]]);
    // The other instance: ids only, never the local-only event.
    expect(seenB).toEqual([{ type: 'message', conversationId: 'c1', seq: 2 }, { type: 'conversation', conversationId: 'c1', opened: true }]);
  });

  it('reconnects its LISTEN connection, then asks receivers to resync', async (ctx) => {
    if (!reachable) return ctx.skip();
    const channel = `answerdesk_events_${freshSchema()}`;
    const [a, b] = [await start(channel), await start(channel)];
    const seenB = collect(b);
    // Kill B's listening backend, as a database restart or a network cut would.
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where query = $1 and pid <> pg_backend_pid()`, [
        `LISTEN ${channel}`,
      ]);
      expect(rowCount).toBe(2);
    } finally {
      await admin.end();
    }
    await until(() => seenB.some((e) => e.type === 'resync') && a.listening && b.listening, 10_000);
    a.publish({ type: 'conversation', conversationId: 'after-reconnect' });
    await until(() => seenB.some((e) => e.type === 'conversation' && e.conversationId === 'after-reconnect'));
  });
});
