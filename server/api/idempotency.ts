import { createHash } from 'node:crypto';
import { conflict, invalid } from '../domain/errors';
import type { Store } from '../store/types';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** How long a duplicate waits for the first request with its key to finish before it is told to retry. */
const WAIT_MS = 10_000;

export type Outcome = { status: number; body: unknown };

/**
 * `Idempotency-Key` on a POST: the first request with a key does the work and its response
 * is stored; a retry (same key, same request) gets that response again without the work being
 * done twice. A duplicate arriving while the first is still running waits for it. Errors are
 * not stored: an error means no work was done, so a retry may do it.
 */
export async function idempotent(store: Store, keyId: string, idemKey: string, fingerprintOf: string, work: () => Promise<Outcome>): Promise<Outcome & { replayed: boolean }> {
  if (idemKey.length === 0 || idemKey.length > 255) throw invalid('invalid_idempotency_key', 'Idempotency-Key must be 1–255 characters');
  const fingerprint = createHash('sha256').update(fingerprintOf).digest('hex');
  const deadline = Date.now() + WAIT_MS;
  for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
    const state = await store.apiKeys.beginIdempotent(keyId, idemKey, fingerprint);
    if (state.kind === 'mismatch') throw invalid('idempotency_key_reused', 'this Idempotency-Key was used with a different request');
    if (state.kind === 'done') return { status: state.status, body: JSON.parse(state.body) as unknown, replayed: true };
    if (state.kind === 'started') break;
    if (Date.now() > deadline) throw conflict('idempotency_in_progress', 'a request with this Idempotency-Key is still being processed; retry later');
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  let outcome: Outcome;
  try {
    outcome = await work();
  } catch (err) {
    await store.apiKeys.abandonIdempotent(keyId, idemKey);
    throw err;
  }
  await store.apiKeys.finishIdempotent(keyId, idemKey, outcome.status, JSON.stringify(outcome.body ?? null));
  return { ...outcome, replayed: false };
}
