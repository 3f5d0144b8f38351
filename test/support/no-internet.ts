import { afterAll, beforeAll } from 'vitest';
import { createRequire } from 'node:module';

/**
 * Blocks outbound HTTP(S) to anything but loopback in this test process and records every
 * attempt: channel adapters must talk to the fake peers only (never to slack.com or
 * Microsoft). Slack's Web API client (axios), the Bot Framework connector and the OpenID key
 * fetch all go through node:http/node:https, patched here on the shared module objects.
 */
export function blockInternet(): { attempts: string[]; restore(): void } {
  const require = createRequire(import.meta.url);
  const http = require('node:http') as typeof import('node:http');
  const https = require('node:https') as typeof import('node:https');
  const attempts: string[] = [];
  const originals = { httpRequest: http.request, httpGet: http.get, httpsRequest: https.request, httpsGet: https.get };

  const host = (args: unknown[]): string => {
    const first = args[0];
    if (typeof first === 'string') return new URL(first).hostname;
    if (first instanceof URL) return first.hostname;
    const o = (first ?? {}) as { hostname?: string; host?: string };
    return o.hostname ?? o.host?.split(':')[0] ?? 'localhost';
  };
  const loopback = (h: string) => h === '127.0.0.1' || h === 'localhost' || h === '::1' || h === '[::1]';
  const guard = <F extends (...args: never[]) => unknown>(original: F, scheme: string): F =>
    ((...args: unknown[]) => {
      const h = host(args);
      if (scheme === 'https' || !loopback(h)) {
        attempts.push(`${scheme}://${h}`);
        throw new Error(`outbound ${scheme} to ${h} is blocked in tests`);
      }
      return (original as unknown as (...a: unknown[]) => unknown)(...args);
    }) as unknown as F;

  http.request = guard(originals.httpRequest, 'http');
  http.get = guard(originals.httpGet, 'http');
  https.request = guard(originals.httpsRequest, 'https');
  https.get = guard(originals.httpsGet, 'https');
  return {
    attempts,
    restore() {
      http.request = originals.httpRequest;
      http.get = originals.httpGet;
      https.request = originals.httpsRequest;
      https.get = originals.httpsGet;
    },
  };
}

/**
 * For a channel test file: blocks the internet (as above) and records unhandled rejections
 * for the whole file, so a test can assert that the adapter neither phoned out nor left a
 * failure unobserved. Registers its own beforeAll/afterAll.
 */
export function isolateChannelTests(): { attempts: string[]; unhandled: unknown[] } {
  const internet = blockInternet();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    internet.restore();
    process.off('unhandledRejection', onUnhandled);
  });
  return { attempts: internet.attempts, unhandled };
}
