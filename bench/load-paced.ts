/**
 * Paced (open-loop) widget load: N conversations at a realistic pace. Each visitor connects,
 * then sends its next question after a seeded-random pause of 0–maxPause, on a schedule that
 * does not wait for the answer (open loop: a slow server does not slow the senders down, so
 * queueing shows in the latencies instead of hiding in a lower send rate). Sending stops after
 * `durationS`; answers still due get a bounded drain.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { QUESTIONS } from '../test/scale/cluster';
import type { BenchVisitor } from './bench-visitor';
import { connectVisitors, drain, fmt, latencyColumns, seededRandom, type Setup } from './load-setup';
import { cpuColumns, cpuSnapshot } from './proc-cpu';

export interface PacedOptions {
  conversations: number;
  durationS: number;
  maxPauseMs: number;
  seed: number;
}

/** Short closed-loop warm-up on separate visitors: JIT, pools and caches, not measured. */
export async function warmUp(setup: Setup, visitors = 40, messages = 5): Promise<void> {
  const { visitors: warm } = await connectVisitors(setup, visitors);
  await Promise.all(
    warm.map(async (v, i) => {
      for (let k = 0; k < messages; k++) {
        v.say(QUESTIONS[(i + k) % QUESTIONS.length]!);
        if (!(await v.answered(30_000))) throw new Error(`warm-up: no reply in 30 s (${setup.name})`);
      }
    }),
  );
  warm.forEach((v) => v.close());
}

export async function runPaced(setup: Setup, options: PacedOptions) {
  await warmUp(setup);
  const { visitors, connectMs } = await connectVisitors(setup, options.conversations);
  // Start the window with the client's heap collected (the earlier set-ups' garbage is there
  // too), so a full GC of this process is less likely to land in it and count as latency.
  (globalThis as { gc?: () => void }).gc?.();
  const pids = setup.servers.map((s) => s.pid);
  const cpuBefore = cpuSnapshot(pids);
  // The client's own pauses: a latency includes the time this process took to read the answer.
  const clientGc: number[] = [];
  const gcObserver = new PerformanceObserver((list) => list.getEntries().forEach((e) => clientGc.push(e.duration)));
  gcObserver.observe({ entryTypes: ['gc'] });
  const start = performance.now();
  const stopSendingAt = start + options.durationS * 1000;
  let sent = 0;
  // Timer lateness in the client: a late send is measured from when it went, but if the
  // client itself is overloaded the pace is lower than intended — reported below.
  const late: number[] = [];
  await Promise.all(
    visitors.map(async (v: BenchVisitor, i) => {
      const random = seededRandom(options.seed * 100_003 + i);
      let due = start;
      for (let k = 0; ; k++) {
        due += random() * options.maxPauseMs;
        if (due >= stopSendingAt) return;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        late.push(performance.now() - due);
        v.say(QUESTIONS[(i * 7 + k) % QUESTIONS.length]!);
        sent++;
      }
    }),
  );
  const sendSeconds = (performance.now() - start) / 1000;
  const cpuAfter = cpuSnapshot(pids);
  const unanswered = await drain(visitors, 15_000);
  gcObserver.disconnect();
  visitors.forEach((v) => v.close());
  const latencies = visitors.flatMap((v) => v.answers.map((a) => a.answeredAt - a.sentAt));
  const acksAfterReply = visitors.reduce((n, v) => n + v.acksAfterReply, 0);
  const errors = visitors.reduce((n, v) => n + v.errors.length, 0);
  late.sort((a, b) => a - b);
  return {
    setup: setup.name,
    instances: setup.servers.length,
    conversations: options.conversations,
    'connect s': fmt(connectMs / 1000),
    sent,
    answered: latencies.length,
    'msgs/s': Math.round(sent / sendSeconds),
    ...latencyColumns(latencies),
    'send late p99 ms': fmt(late[Math.floor(late.length * 0.99)] ?? null),
    'client GC max ms': fmt(clientGc.length ? Math.max(...clientGc) : 0),
    ...cpuColumns(cpuBefore, cpuAfter, sent),
    'still waiting': unanswered,
    'ack after reply': acksAfterReply,
    errors,
  };
}
