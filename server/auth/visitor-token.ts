import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Visitor tokens: `v1.<customerId>.<widgetKey>.<hmac>`. The widget keeps it in localStorage;
 * the server trusts only the customer id it signed, so one visitor can never name another's
 * conversation.
 */
export interface VisitorClaims {
  customerId: string;
  key: string;
}

const SAFE = /^[A-Za-z0-9_-]{1,64}$/;

export class VisitorTokens {
  constructor(private readonly secret: string) {}

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }

  sign(claims: VisitorClaims): string {
    const body = `v1.${claims.customerId}.${claims.key}`;
    return `${body}.${this.mac(body)}`;
  }

  verify(token: unknown): VisitorClaims | undefined {
    if (typeof token !== 'string' || token.length > 300) return undefined;
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== 'v1') return undefined;
    const [, customerId, key, mac] = parts as [string, string, string, string];
    if (!SAFE.test(customerId) || !SAFE.test(key)) return undefined;
    const expected = Buffer.from(this.mac(`v1.${customerId}.${key}`));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    return { customerId, key };
  }
}
