/** Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped, so a recovered platform is tried again soon. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Attempts before a retryable failure is given up (then the delivery is marked failed). */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000, maxAttempts: 12 };

/** When to try again after `attempts` failed tries; `retryAfterMs` from the platform wins when it is later. */
export function nextAttemptDelay(policy: BackoffPolicy, attempts: number, retryAfterMs?: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}
