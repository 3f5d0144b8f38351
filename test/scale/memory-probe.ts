/**
 * Preloaded into bench server processes (`--expose-gc --import ./test/scale/memory-probe.ts`):
 * on SIGUSR2 collect garbage and print one JSON line with process.memoryUsage(), so a bench
 * can measure what connections cost without an HTTP endpoint in the product.
 */
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  process.stdout.write(`${JSON.stringify({ memoryProbe: process.memoryUsage() })}\n`);
});
