import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'answerdesk-signature';

/**
 * `answerdesk-signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`: HMAC-SHA256 over `<t>.<body>`
 * with the subscription's secret, like Stripe's. During a secret rotation's overlap the
 * previous secret signs too, so receivers can switch secrets without losing a delivery.
 */
export function signatureHeader(body: string, secrets: string[], at = Date.now()): string {
  const t = Math.floor(at / 1000);
  return [`t=${t}`, ...secrets.map((s) => `v1=${sign(s, t, body)}`)].join(',');
}

export function sign(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}

/** What a receiver does (also used by the tests): any v1 matches, and the timestamp is recent. */
export function verifySignature(header: string | undefined, body: string, secret: string, toleranceSeconds = 300, at = Date.now()): boolean {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.split('=', 2) as [string, string]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(at / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, t, body), 'hex');
  return parts.some(([k, v]) => k === 'v1' && v !== undefined && v.length === expected.length * 2 && timingSafeEqual(Buffer.from(v, 'hex'), expected));
}
