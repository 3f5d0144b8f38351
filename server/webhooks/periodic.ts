/**
 * Runs `sweep` every `everyMs`, never two at once (a slow sweep makes the next tick skip), and
 * waits for the one under way on stop. For events no write causes: time does (SLA breaches),
 * or traffic adds up to them (new "Improve the bot" items).
 */
export function periodic(everyMs: number, sweep: () => Promise<unknown>, onError: (err: unknown) => void): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= sweep()
      .catch(onError)
      .finally(() => (running = undefined));
  }, everyMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
