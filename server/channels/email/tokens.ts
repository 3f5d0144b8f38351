import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring references to one conversation, for what leaves by email:
 * - the reply token in `Reply-To: reply+<token>@…` and in our Message-IDs (so a reply that lost
 *   the plus address still threads through In-Reply-To): lower-case base32, because some mail
 *   systems lower-case local parts, 48 characters so `reply+` + token fits the 64 of a local part;
 * - links ("Continue in chat", "This solved my problem", CES scores): base64url, with the action.
 * A token names a conversation id only; whoever holds it may write into that conversation, so
 * it expires, and a forged or expired one is simply not a token (the mail starts afresh).
 */

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string): Buffer | undefined {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.toLowerCase()) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return undefined;
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidOf = (b: Buffer) => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** What a link does when opened. */
export type LinkAction = 'continue' | 'solved' | 'help' | `ces${1 | 2 | 3 | 4 | 5 | 6 | 7}` | `csat${1 | 2 | 3 | 4 | 5}` | `nps${0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10}`;

export class EmailTokens {
  constructor(
    private readonly secret: string,
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  private mac(purpose: string, body: Buffer | string, bytes: number): Buffer {
    return createHmac('sha256', this.secret).update(`email:${purpose}:`).update(body).digest().subarray(0, bytes);
  }

  /** `reply+<this>@domain`: conversation (16 bytes) + expiry in minutes (4) + MAC (10) → 48 base32 characters. */
  replyToken(conversationId: string): string {
    if (!UUID.test(conversationId)) throw new Error('conversation ids are UUIDs');
    const body = Buffer.alloc(20);
    uuidBytes(conversationId).copy(body, 0);
    body.writeUInt32BE(Math.ceil((this.clock() + this.ttlMs) / 60_000), 16);
    return base32(Buffer.concat([body, this.mac('reply', body, 10)]));
  }

  /** The conversation a reply token names, if it is ours and not expired. */
  verifyReply(token: string): { conversationId: string } | undefined {
    if (!/^[a-z2-7]{48}$/i.test(token)) return undefined;
    const raw = unbase32(token);
    if (!raw || raw.length !== 30) return undefined;
    const body = raw.subarray(0, 20);
    const mac = raw.subarray(20);
    if (!timingSafeEqual(mac, this.mac('reply', body, 10))) return undefined;
    if (body.readUInt32BE(16) * 60_000 < this.clock()) return undefined;
    return { conversationId: uuidOf(body.subarray(0, 16)) };
  }

  /** A link token: `<conversation>.<action>.<expiry>.<mac>` in base64url. */
  link(conversationId: string, action: LinkAction): string {
    const body = `${conversationId}.${action}.${Math.ceil((this.clock() + this.ttlMs) / 1000).toString(36)}`;
    return `${Buffer.from(body).toString('base64url')}.${this.mac('link', body, 16).toString('base64url')}`;
  }

  verifyLink(token: unknown): { conversationId: string; action: LinkAction } | undefined {
    if (typeof token !== 'string' || token.length > 200) return undefined;
    const [encoded, mac] = token.split('.');
    if (!encoded || !mac) return undefined;
    const body = Buffer.from(encoded, 'base64url').toString();
    const expected = this.mac('link', body, 16);
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const [conversationId, action, expiry] = body.split('.');
    if (!conversationId || !UUID.test(conversationId) || !action || !expiry) return undefined;
    if (!/^(continue|solved|help|ces[1-7]|csat[1-5]|nps(10|[0-9]))$/.test(action)) return undefined;
    if (parseInt(expiry, 36) * 1000 < this.clock()) return undefined;
    return { conversationId, action: action as LinkAction };
  }

  /** Reply tokens found in recipient addresses (`anything+<token>@…`) or our Message-IDs (`<token>.<n>@…`). */
  findReply(candidates: string[]): { conversationId: string } | undefined {
    for (const c of candidates) {
      const local = c.replace(/^<|>$/g, '').split('@')[0] ?? '';
      const token = local.includes('+') ? local.slice(local.lastIndexOf('+') + 1) : local.split('.')[0]!;
      const found = this.verifyReply(token);
      if (found) return found;
    }
    return undefined;
  }
}
