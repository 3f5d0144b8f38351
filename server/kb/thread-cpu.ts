import { readFileSync } from 'node:fs';

/**
 * CPU time this thread has run, in ms (Linux: /proc/thread-self/schedstat, nanoseconds), or
 * undefined elsewhere. Wall time on a busy machine counts the time a thread waits for a core;
 * this does not, so it says how long a step would block the event loop on an idle machine.
 */
export function threadCpuMs(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/** One synchronous piece of work the serving thread did for a rebuild. */
export interface ServingStep {
  name: string;
  wallMs: number;
  /** Thread CPU time; equals wall time on an idle machine. Undefined where the OS does not say. */
  cpuMs: number | undefined;
}

/** Starts a clock; calling what it returns records the step. */
function start(steps: ServingStep[], name: string): () => void {
  const cpu0 = threadCpuMs();
  const t0 = performance.now();
  return () => {
    const wallMs = performance.now() - t0;
    const cpu1 = threadCpuMs();
    steps.push({ name, wallMs, cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 });
  };
}

/** Runs `work` and records how long it held the serving thread. */
export function timed<T>(steps: ServingStep[], name: string, work: () => T): T {
  const stop = start(steps, name);
  const out = work();
  stop();
  return out;
}

/**
 * The same for work with awaits in it: an upper bound, since it includes whatever else the
 * serving thread ran meanwhile.
 */
export async function timedAsync<T>(steps: ServingStep[], name: string, work: () => Promise<T>): Promise<T> {
  const stop = start(steps, name);
  const out = await work();
  stop();
  return out;
}

/** Lets the serving thread handle what is waiting (sockets, timers) before the next step. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
