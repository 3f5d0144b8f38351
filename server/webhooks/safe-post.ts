import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';

/**
 * POSTs a webhook without server-side request forgery: the target's name is resolved here,
 * every address it resolves to must be public (no loopback, private, link-local, CGNAT,
 * multicast, unique-local …), the connection goes to a checked address (the `lookup` hook),
 * and the address actually connected is checked again. Redirects are not followed.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  // IPv4-mapped IPv6 (::ffff:127.0.0.1, ::ffff:7f00:1) is judged as the IPv4 address it maps to.
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return isPrivateAddress(dotted[1]!);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return isPrivateAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class UnsafeTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeTargetError';
  }
}

export interface SafePostOptions {
  allowPrivate: boolean;
  /** Production: https only. */
  requireHttps: boolean;
  timeoutMs: number;
}

/** Why a URL may never be a webhook target (checked when a subscription is saved, and again on every delivery). */
export function targetProblem(raw: string, options: Pick<SafePostOptions, 'allowPrivate' | 'requireHttps'>): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'only http(s) URLs';
  if (options.requireHttps && url.protocol !== 'https:') return 'only https URLs in production';
  if (url.username || url.password) return 'no credentials in the URL';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivate && isIP(host) && isPrivateAddress(host)) return `${host} is a private, loopback or link-local address`;
  if (!options.allowPrivate && /^(localhost|.*\.localhost|.*\.internal|.*\.local)$/i.test(host)) return `${host} is a local name`;
  return undefined;
}

function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as LookupAddress[];
      const bad = list.find((a) => isPrivateAddress(a.address));
      if (!allowPrivate && bad) return callback(new UnsafeTargetError(`${hostname} resolves to ${bad.address}, a private address`), '', 0);
      if ((options as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export interface PostResult {
  status: number;
  /** The first bytes of the answer, for the delivery log. */
  excerpt: string;
}

export function safePost(rawUrl: string, body: string, headers: Record<string, string>, options: SafePostOptions): Promise<PostResult> {
  const problem = targetProblem(rawUrl, options);
  if (problem) return Promise.reject(new UnsafeTargetError(problem));
  const url = new URL(rawUrl);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        lookup: guardedLookup(options.allowPrivate) as never,
        timeout: options.timeoutMs,
        agent: false,
      },
      (res) => {
        let excerpt = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (excerpt.length < 200) excerpt += chunk.slice(0, 200 - excerpt.length);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, excerpt }));
        res.on('error', reject);
      },
    );
    req.on('socket', (socket) => {
      socket.once('connect', () => {
        // The address really connected (a literal IP host skips the lookup hook).
        const remote = socket.remoteAddress ?? '';
        if (!options.allowPrivate && isPrivateAddress(remote)) req.destroy(new UnsafeTargetError(`connected to ${remote}, a private address`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
