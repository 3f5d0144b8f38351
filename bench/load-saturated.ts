/**
 * Saturated (closed-loop) widget load: V visitors, each sending its next question as soon as
 * the answer to the last one arrives. After `warmupS` (not measured) the next `durationS`
 * count: answers arriving in that window give the throughput; their send → reply times the
 * latencies. Every visitor stops at the end of the window (its last answer is awaited, bounded).
 */
import { QUESTIONS } from '../test/scale/cluster';
import { connectVisitors, fmt, latencyColumns, type Setup } from './load-setup';
import { warmUp } from './load-paced';
import { cpuColumns, cpuSnapshot, type CpuSnapshot } from './proc-cpu';

export interface SaturatedOptions {
  visitors: number;
  warmupS: number;
  durationS: number;
}

export interface SaturatedResult {
  row: Record<string, string | number>;
  throughput: number;
  /** The measured window on CLOCK_MONOTONIC in µs (process.hrtime), the clock of V8's CPU profiles. */
  windowUs: { from: number; to: number };
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

export async function runSaturated(setup: Setup, options: SaturatedOptions): Promise<SaturatedResult> {
  await warmUp(setup);
  const { visitors, connectMs } = await connectVisitors(setup, options.visitors);
  const pids = setup.servers.map((s) => s.pid);
  const start = performance.now();
  const windowStart = start + options.warmupS * 1000;
  const windowEnd = windowStart + options.durationS * 1000;
  const latencies: number[] = [];
  let answeredInWindow = 0;
  let timeouts = 0;
  let cpuBefore: CpuSnapshot | undefined;
  let cpuAfter: CpuSnapshot | undefined;
  const window = { from: 0, to: 0 };
  const marks = [
    setTimeout(() => {
      cpuBefore = cpuSnapshot(pids);
      window.from = monotonicUs();
    }, windowStart - start),
    setTimeout(() => {
      cpuAfter = cpuSnapshot(pids);
      window.to = monotonicUs();
    }, windowEnd - start),
  ];
  await Promise.all(
    visitors.map(async (v, i) => {
      for (let k = 0; performance.now() < windowEnd; k++) {
        v.say(QUESTIONS[(i * 7 + k) % QUESTIONS.length]!);
        if (!(await v.answered(30_000))) {
          timeouts++;
          return;
        }
      }
    }),
  );
  for (const v of visitors) {
    for (const a of v.answers) {
      if (a.answeredAt < windowStart || a.answeredAt >= windowEnd) continue;
      answeredInWindow++;
      if (a.sentAt >= windowStart) latencies.push(a.answeredAt - a.sentAt);
    }
  }
  marks.forEach(clearTimeout);
  visitors.forEach((v) => v.close());
  const errors = visitors.reduce((n, v) => n + v.errors.length, 0);
  const acksAfterReply = visitors.reduce((n, v) => n + v.acksAfterReply, 0);
  const throughput = answeredInWindow / options.durationS;
  return {
    throughput,
    windowUs: window,
    row: {
      setup: setup.name,
      instances: setup.servers.length,
      visitors: options.visitors,
      'connect s': fmt(connectMs / 1000),
      'window s': options.durationS,
      answered: answeredInWindow,
      'answered/s': Math.round(throughput),
      ...latencyColumns(latencies),
      ...(cpuBefore && cpuAfter ? cpuColumns(cpuBefore, cpuAfter, answeredInWindow) : {}),
      timeouts,
      'ack after reply': acksAfterReply,
      errors,
    },
  };
}
