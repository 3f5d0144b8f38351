/**
 * A lean widget visitor for the load bench: a session, one WebSocket, and message → reply
 * times that do not depend on the order frames arrive in. The reply to a customer message is
 * the first bot (or agent) message of its conversation with a higher seq than the message's
 * ack — whether that message arrives after the ack or, as can happen when a message opens a
 * conversation, before it. (test/scale/cluster.ts's Visitor, built for failover tests, waits
 * for the ack first and would take the next turn's reply instead.)
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { ServerFrame, SessionResponse } from '../server/channels/web/protocol';
import { ORIGIN } from '../test/scale/cluster';

export interface Answer {
  sentAt: number;
  answeredAt: number;
}

interface Pending {
  sentAt: number;
  ack?: { seq: number; conversationId: string };
}

const KEEP_REPLIES = 32;

export class BenchVisitor {
  token = '';
  customerId = '';
  readonly answers: Answer[] = [];
  readonly errors: string[] = [];
  /** Acks that arrived after the reply they belong to (the reply came first). */
  acksAfterReply = 0;
  private ws: WebSocket | undefined;
  private readonly pending = new Map<string, Pending>();
  /** Recent bot/agent messages: seq, conversation and arrival time. */
  private readonly replies: { conversationId: string; seq: number; at: number }[] = [];
  private waiters: (() => void)[] = [];

  constructor(private readonly url: string) {}

  async session(): Promise<void> {
    const res = await fetch(`${this.url}/api/widget/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ key: 'demo' }),
    });
    if (!res.ok) throw new Error(`session failed: ${res.status} ${await res.text()}`);
    const session = (await res.json()) as SessionResponse;
    this.token = session.token;
    this.customerId = session.customerId;
  }

  /** Open the socket and wait for `ready`. */
  connect(timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${this.url.replace('http', 'ws')}/api/widget/ws?token=${encodeURIComponent(this.token)}`, { origin: ORIGIN });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('no ready frame in time'));
      }, timeoutMs);
      ws.on('error', (err) => {
        clearTimeout(timer);
        this.errors.push(err.message);
        reject(err);
      });
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', lastSeq: 0 })));
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as ServerFrame;
        if (frame.type === 'ready') {
          clearTimeout(timer);
          this.ws = ws;
          resolve();
        }
        this.onFrame(frame);
      });
    });
  }

  private onFrame(frame: ServerFrame): void {
    const at = performance.now();
    if (frame.type === 'ack') {
      const p = this.pending.get(frame.clientId);
      if (!p || p.ack) return;
      p.ack = { seq: frame.seq, conversationId: frame.conversationId };
      // The reply may be here already.
      const reply = this.replies.filter((r) => r.conversationId === frame.conversationId && r.seq > frame.seq).sort((a, b) => a.seq - b.seq)[0];
      if (reply) {
        this.acksAfterReply++;
        this.answer(frame.clientId, p, reply.at);
      }
    } else if (frame.type === 'message' && frame.message.author !== 'customer') {
      const m = frame.message;
      this.replies.push({ conversationId: m.conversationId, seq: m.seq, at });
      if (this.replies.length > KEEP_REPLIES) this.replies.shift();
      // The earliest acknowledged, unanswered message this comes after is the one it answers.
      let best: [string, Pending] | undefined;
      for (const entry of this.pending) {
        const ack = entry[1].ack;
        if (ack && ack.conversationId === m.conversationId && ack.seq < m.seq && (!best || ack.seq < best[1].ack!.seq)) best = entry;
      }
      if (best) this.answer(best[0], best[1], at);
    } else if (frame.type === 'error') {
      this.errors.push(`${frame.code}: ${frame.message}`);
    }
    for (const w of this.waiters.splice(0)) w();
  }

  private answer(clientId: string, p: Pending, at: number): void {
    this.pending.delete(clientId);
    this.answers.push({ sentAt: p.sentAt, answeredAt: at });
  }

  say(text: string): void {
    const clientId = randomUUID();
    this.pending.set(clientId, { sentAt: performance.now() });
    this.ws?.send(JSON.stringify({ type: 'message', clientId, text }));
  }

  /** Messages sent and not answered yet. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Resolves true once nothing is waiting for an answer, false after `timeoutMs`. */
  async answered(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.pending.size) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  close(): void {
    this.ws?.close();
  }
}
