import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  eventId: string;
  type: string;
  body: any;
  raw: string;
  /** Which secrets' signatures matched. */
  validFor: string[];
  signatures: number;
  at: number;
  /** What the receiver answered. */
  answered: number | 'hang';
}

/**
 * A webhook receiver on 127.0.0.1 that checks signatures the way the README tells integrators
 * to (its own HMAC code, not the server's), counts every delivery, and can be told to fail or hang.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  /** The status to answer with; 'hang' never answers (until reset). */
  mode: number | 'hang' = 200;
  secrets: string[] = [];
  private server: Server | undefined;
  private hanging: ServerResponse[] = [];
  private waiters: (() => void)[] = [];
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
    return this;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const header = String(req.headers['answerdesk-signature'] ?? '');
    const parts = header.split(',');
    const t = parts.find((p) => p.startsWith('t='))?.slice(2) ?? '';
    const sigs = parts.filter((p) => p.startsWith('v1=')).map((p) => p.slice(3));
    const fresh = Math.abs(Date.now() / 1000 - Number(t)) < 300;
    const validFor = this.secrets.filter((secret) => {
      const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest();
      return fresh && sigs.some((s) => s.length === expected.length * 2 && timingSafeEqual(Buffer.from(s, 'hex'), expected));
    });
    let body: any = null;
    try {
      body = JSON.parse(raw);
    } catch {
      body = null;
    }
    this.received.push({ eventId: String(req.headers['answerdesk-event-id'] ?? ''), type: String(req.headers['answerdesk-event-type'] ?? ''), body, raw, validFor, signatures: sigs.length, at: Date.now(), answered: this.mode });
    for (const w of this.waiters.splice(0)) w();
    if (this.mode === 'hang') {
      this.hanging.push(res);
      return;
    }
    res.writeHead(this.mode, { 'content-type': 'text/plain' }).end(this.mode === 200 ? 'ok' : 'receiver failing');
  }

  /** Answers the hung requests (their senders may be gone) and stops hanging. */
  release(status = 200): void {
    this.mode = status;
    for (const res of this.hanging.splice(0)) if (!res.destroyed) res.writeHead(status).end();
  }

  /** Resolves when `check` holds, re-checked on every delivery (no polling sleep). */
  async until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`webhook receiver: timed out waiting for ${what} (${this.received.length} received)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Distinct event ids received with a valid signature and a 2xx answer (what an integrator would keep). */
  ids(type?: string): Set<string> {
    return new Set(this.received.filter((r) => r.answered === 200 && r.validFor.length > 0 && (!type || r.type === type)).map((r) => r.eventId));
  }

  async close(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
