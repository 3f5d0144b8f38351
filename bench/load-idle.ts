/**
 * Idle widget WebSockets per GiB: the server's resident memory (/proc/<pid>/status VmRSS) and
 * V8 heap before and after opening N idle sockets.
 */
import { pool, sleep, Visitor } from '../test/scale/cluster';
import { fmt, type Setup } from './load-setup';

/**
 * Open `count` idle sockets and see how the server's memory grows. Sockets share 100 visitor
 * sessions (a socket costs the server the same whoever it belongs to), so the "before" figure
 * is not disturbed by thousands of session requests.
 */
export async function idleSockets(setup: Setup, count: number) {
  const server = setup.servers[0]!;
  // Full GCs in the server (V8 gives pages back lazily), then VmRSS (/proc) and the V8 heap.
  const measure = async () => {
    for (let i = 0; i < 3; i++) {
      await sleep(700);
      await server.memory();
    }
    const m = await server.memory();
    return { rss: server.rss() ?? m.rss, heap: m.heapUsed + m.external };
  };
  // Warm up the paths first (JIT, pools), so the delta is sockets rather than first use.
  const warm = Array.from({ length: 50 }, () => new Visitor(() => [server.url]));
  await pool(warm, 25, async (v) => {
    await v.session();
    await v.connect();
  });
  warm.forEach((v) => v.close());
  const sessions = Array.from({ length: 100 }, () => new Visitor(() => [server.url]));
  await pool(sessions, 50, (v) => v.session());
  const visitors = Array.from({ length: count }, (_, i) => {
    const v = new Visitor(() => [server.url]);
    v.token = sessions[i % sessions.length]!.token;
    v.customerId = sessions[i % sessions.length]!.customerId;
    return v;
  });
  const before = await measure();
  // … then the sockets, each through hello/ready.
  await pool(visitors, 100, (v) => v.connect(30_000));
  const after = await measure();
  visitors.forEach((v) => v.close());
  const rssPer = (after.rss - before.rss) / count;
  const heapPer = (after.heap - before.heap) / count;
  // RSS moves in pages and V8 reuses freed ones, so its delta is noisy (even negative) for a
  // few thousand sockets; the estimate takes the larger of the two deltas.
  const estimate = Math.max(rssPer, heapPer);
  return {
    setup: setup.name,
    'idle sockets': count,
    'RSS before MiB': fmt(before.rss / 2 ** 20),
    'RSS after MiB': fmt(after.rss / 2 ** 20),
    'RSS KiB/socket': fmt(rssPer / 1024),
    'heap KiB/socket': fmt(heapPer / 1024),
    'sockets per GiB (est.)': estimate > 0 ? Math.round(2 ** 30 / estimate) : '-',
  };
}
