/**
 * How a platform call failed, as the delivery worker needs to know it: try again (5xx, 429,
 * timeouts, network) — possibly not before `retryAfterMs` — or give up at once (a channel
 * that no longer exists, a bot without access: retrying cannot help).
 */
export class DeliveryError extends Error {
  constructor(
    /** The platform's own words for it (`channel_not_found`, `403 Forbidden` …): shown on the ticket. */
    readonly reason: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'DeliveryError';
  }
}

/** HTTP statuses worth another try. */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}
