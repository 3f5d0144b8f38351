import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { buildBundleFromDirectory, writeBundle } from '../../bot/knowledge-bundle';
import type { ChatMessage, ServerFrame, SessionResponse } from '../../server/channels/web/protocol';

/**
 * Real `server/main.ts` processes on 127.0.0.1 and scripted widget visitors that behave like
 * the widget: resume with lastSeq, re-send unacknowledged messages with the same clientId,
 * and move to another instance when theirs goes away. Shared by test/scale and bench/load.
 */

export const ROOT = resolve(import.meta.dirname, '../..');
export const ORIGIN = 'http://visitors.test';
export const SCALE_ADMIN_TOKEN = 'scale-admin-token-0123456789abcdef';
/** Every instance of one deployment shares the secret that signs visitor tokens. */
const SCALE_SECRET = 'scale-test-secret-0123456789abcdefghijklmnop';

export const QUESTIONS = [
  'I forgot my password',
  'How do I cancel my subscription',
  'Can I get a refund',
  'How do I change my email address',
  'What plans do you offer',
  'How do I set up two-factor authentication',
  'I was charged twice',
  'How do I add a team member',
  'Is there a free trial',
  'How do I delete my account',
  'How long does a refund take',
  'Can I pause my subscription',
  'How do I upgrade my plan',
  'My account is locked',
  'Do you offer a nonprofit discount',
  'How do I switch to annual billing',
];

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Build the sample knowledge index once; every child process loads it instead of rebuilding. */
export function prepareKnowledgeIndex(dir = mkdtempSync(join(tmpdir(), 'answerdesk-kb-'))): string {
  const path = join(dir, 'knowledge.json');
  if (!existsSync(path)) writeBundle(buildBundleFromDirectory(join(ROOT, 'knowledge', 'content')), path);
  return path;
}

export interface ServerProcess {
  label: string;
  url: string;
  port: number;
  pid: number;
  proc: ChildProcess;
  /** Last lines of output, for failure messages. */
  output: string[];
  /** How often each log message (pino `msg`) was written. */
  logCounts: Map<string, number>;
  exited: Promise<number | null>;
  /** SIGKILL: the crash. */
  crash(): Promise<void>;
  /** SIGTERM and wait (SIGKILL after `graceMs`). Returns the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /** Resident set size from /proc (Linux), in bytes. */
  rss(): number | undefined;
  /** After a full GC in the server (needs `memoryProbe`). */
  memory(): Promise<NodeJS.MemoryUsage>;
}

export interface SpawnOptions {
  label: string;
  dataDir: string;
  knowledgeIndex: string;
  databaseUrl?: string;
  databaseSchema?: string;
  port?: number;
  env?: Record<string, string>;
  /** Extra node flags before the entry point (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Load test/scale/memory-probe.ts (with --expose-gc) so `memory()` works. */
  memoryProbe?: boolean;
  startTimeoutMs?: number;
}

/**
 * Every server this process spawned and has not seen exit. A test that times out never reaches
 * its `finally`, so when this process ends, whatever is left is killed rather than orphaned.
 */
const running = new Set<ChildProcess>();
let reaperInstalled = false;
function reapOnExit(proc: ChildProcess): void {
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  if (reaperInstalled) return;
  reaperInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** `node --import tsx server/main.ts` with test settings; resolves once it logs its port. */
export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'DATABASE_SCHEMA', 'PORT', 'HOST', 'PUBLIC_URL', 'SECRET', 'ALLOWED_ORIGINS']) delete env[key];
  Object.assign(env, {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(options.port ?? 0),
    LOG_LEVEL: 'info',
    DATA_DIR: options.dataDir,
    KNOWLEDGE_INDEX: options.knowledgeIndex,
    SECRET: SCALE_SECRET,
    ADMIN_API_TOKEN: SCALE_ADMIN_TOKEN,
    ALLOWED_ORIGINS: ORIGIN,
    RATE_LIMIT_VISITOR_PER_MINUTE: '100000',
    RATE_LIMIT_IP_PER_MINUTE: '1000000',
    BUSINESS_HOURS: 'Mon-Sun 00:00-24:00',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.databaseSchema ? { DATABASE_SCHEMA: options.databaseSchema } : {}),
    ...options.env,
  });
  const proc = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      ...(options.memoryProbe ? ['--expose-gc'] : []),
      '--import',
      'tsx',
      ...(options.memoryProbe ? ['--import', './test/scale/memory-probe.ts'] : []),
      'server/main.ts',
    ], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  reapOnExit(proc);
  const output: string[] = [];
  const logCounts = new Map<string, number>();
  const probes: ((m: NodeJS.MemoryUsage) => void)[] = [];
  const keep = (line: string) => {
    if (line.startsWith('{"memoryProbe"')) {
      const { memoryProbe } = JSON.parse(line) as { memoryProbe: NodeJS.MemoryUsage };
      for (const p of probes.splice(0)) p(memoryProbe);
      return;
    }
    if (line.startsWith('{')) {
      try {
        const { msg } = JSON.parse(line) as { msg?: string };
        if (msg) logCounts.set(msg, (logCounts.get(msg) ?? 0) + 1);
      } catch {
        /* partial line */
      }
    }
    output.push(line);
    if (output.length > 200) output.shift();
  };
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.label} did not start in time:\n${output.join('\n')}`)), options.startTimeoutMs ?? 30_000);
    let buffered = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        keep(line);
        if (line.includes('answerdesk is up')) {
          try {
            const { port } = JSON.parse(line) as { port: number };
            clearTimeout(timer);
            resolvePort(port);
          } catch {
            /* not the JSON line */
          }
        }
      }
    });
    proc.stderr!.on('data', (chunk: Buffer) => keep(chunk.toString().trimEnd()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.label} exited (${code}) before it was up:\n${output.join('\n')}`));
    });
  });
  const server: ServerProcess = {
    label: options.label,
    url: `http://127.0.0.1:${port}`,
    port,
    pid: proc.pid!,
    proc,
    output,
    logCounts,
    exited,
    async crash() {
      proc.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 12_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return exited;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    memory() {
      if (!options.memoryProbe) return Promise.reject(new Error('spawned without memoryProbe'));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no memory probe answer')), 10_000);
        probes.push((m) => {
          clearTimeout(timer);
          resolve(m);
        });
        proc.kill('SIGUSR2');
      });
    },
    rss() {
      try {
        const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
        const m = /VmRSS:\s+(\d+) kB/.exec(status);
        return m ? Number(m[1]) * 1024 : undefined;
      } catch {
        return undefined;
      }
    },
  };
  return server;
}

/** Admin API call (the ADMIN_API_TOKEN every scale server gets). */
export function admin(baseUrl: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(baseUrl + path, {
    ...init,
    headers: { authorization: `Bearer ${SCALE_ADMIN_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
}

export interface Ack {
  seq: number;
  conversationId: string;
}

/**
 * One visitor: a session, one WebSocket at a time, and the widget's delivery rules. Sends are
 * queued until acknowledged; after a reconnect everything unacknowledged is sent again, in
 * order, with the same clientId. Messages may be pipelined (not waiting for acks).
 */
export class Visitor {
  token = '';
  customerId = '';
  conversationId: string | undefined;
  /** Highest seq received in the current conversation (sent as lastSeq on resume). */
  lastSeq = 0;
  readonly sent: string[] = [];
  readonly acks = new Map<string, Ack>();
  readonly received: ChatMessage[] = [];
  readonly errors: ServerFrame[] = [];
  /** clientId → ms from send to the bot's first message after it. */
  readonly latencies: number[] = [];
  reconnects = 0;
  /** `reconnect` frames received (an instance stopping gracefully). */
  reconnectRequests = 0;
  private readonly unacked: { clientId: string; text: string }[] = [];
  private readonly sentAt = new Map<string, number>();
  private readonly awaitingReply: string[] = [];
  private ws: WebSocket | undefined;
  private ready = false;
  private closing = false;
  private reconnecting: Promise<void> | undefined;
  private urlIndex: number;
  private waiters: (() => void)[] = [];

  constructor(
    /** The instances, asked afresh at every (re)connect: a restarted instance may have a new port. */
    private readonly urls: () => string[],
    prefer = 0,
  ) {
    this.urlIndex = prefer;
  }

  private url(): string {
    const urls = this.urls();
    return urls[this.urlIndex % urls.length]!;
  }

  async session(): Promise<void> {
    const res = await fetch(`${this.url()}/api/widget/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ key: 'demo', ...(this.token ? { token: this.token } : {}) }),
    });
    if (!res.ok) throw new Error(`session failed: ${res.status} ${await res.text()}`);
    const session = (await res.json()) as SessionResponse;
    this.token = session.token;
    this.customerId = session.customerId;
  }

  /** Connect (trying the instances in turn, with backoff) within `timeoutMs`. */
  async connect(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.open(this.url());
        return;
      } catch (err) {
        if (this.closing) return;
        if (Date.now() > deadline) throw new Error(`visitor ${this.customerId} could not reconnect: ${(err as Error).message}`);
        this.urlIndex++;
        await sleep(Math.min(1000, 50 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random() / 2));
      }
    }
  }

  private open(url: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/api/widget/ws?token=${encodeURIComponent(this.token)}`, { origin: ORIGIN });
      let settled = false;
      const timer = setTimeout(() => fail(new Error('no ready frame in time')), 10_000);
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        ws.terminate();
        reject(err);
      };
      ws.on('error', (err) => fail(err));
      ws.on('unexpected-response', (_req, res) => fail(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.on('close', () => {
        if (!settled) return fail(new Error('closed before ready'));
        if (this.ws !== ws) return;
        this.ready = false;
        this.ws = undefined;
        if (!this.closing) this.reconnectSoon();
      });
      ws.on('open', () => {
        ws.send(JSON.stringify({ type: 'hello', ...(this.conversationId ? { conversationId: this.conversationId } : {}), lastSeq: this.lastSeq }));
      });
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as ServerFrame;
        this.onFrame(frame);
        if (frame.type === 'ready' && !settled) {
          settled = true;
          clearTimeout(timer);
          this.ws = ws;
          this.ready = true;
          // Everything not yet acknowledged goes again, in order, before anything new.
          for (const m of this.unacked) ws.send(JSON.stringify({ type: 'message', clientId: m.clientId, text: m.text }));
          resolve();
        }
        for (const w of this.waiters.splice(0)) w();
      });
    });
  }

  private reconnectSoon(): void {
    if (this.reconnecting) return;
    this.reconnects++;
    this.urlIndex++; // the instance we were on is likely gone: try the next one first
    this.reconnecting = this.connect(30_000)
      .catch((err: unknown) => {
        this.errors.push({ type: 'error', code: 'internal', message: (err as Error).message });
      })
      .finally(() => (this.reconnecting = undefined));
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'ready':
        if (frame.conversation && frame.conversation.id !== this.conversationId) {
          this.conversationId = frame.conversation.id;
          this.lastSeq = 0;
        }
        return;
      case 'conversation':
        if (frame.conversation.id !== this.conversationId) {
          this.conversationId = frame.conversation.id;
          this.lastSeq = 0;
        }
        return;
      case 'ack': {
        if (!this.acks.has(frame.clientId)) this.acks.set(frame.clientId, { seq: frame.seq, conversationId: frame.conversationId });
        const i = this.unacked.findIndex((m) => m.clientId === frame.clientId);
        if (i >= 0) this.unacked.splice(i, 1);
        return;
      }
      case 'message': {
        const m = frame.message;
        if (m.conversationId === this.conversationId) this.lastSeq = Math.max(this.lastSeq, m.seq);
        this.received.push(m);
        if (m.author !== 'customer') {
          // The first bot/agent message after an acknowledged customer message answers it.
          const first = this.awaitingReply[0];
          const ack = first ? this.acks.get(first) : undefined;
          if (first && ack && ack.conversationId === m.conversationId && m.seq > ack.seq) {
            this.awaitingReply.shift();
            this.latencies.push(performance.now() - this.sentAt.get(first)!);
          }
        }
        return;
      }
      case 'error':
        this.errors.push(frame);
        return;
      case 'reconnect':
        this.reconnectRequests++;
        return;
      default:
        return;
    }
  }

  /** Queue a message (sent now if connected, else on reconnect). Returns its clientId. */
  say(text: string): string {
    const clientId = randomUUID();
    this.sent.push(clientId);
    this.unacked.push({ clientId, text });
    this.sentAt.set(clientId, performance.now());
    this.awaitingReply.push(clientId);
    if (this.ready && this.ws) this.ws.send(JSON.stringify({ type: 'message', clientId, text }));
    return clientId;
  }

  get pending(): number {
    return this.unacked.length;
  }

  /** Latency bookkeeping says every message got its answer (runs without reconnects). */
  get answeredAll(): boolean {
    return this.awaitingReply.length === 0;
  }

  /** Everything acknowledged, and a bot/agent message arrived after the last one. */
  get answeredLast(): boolean {
    if (this.unacked.length) return false;
    const last = this.sent.at(-1);
    const ack = last ? this.acks.get(last) : undefined;
    if (!ack) return false;
    return this.received.some((m) => m.conversationId === ack.conversationId && m.author !== 'customer' && m.seq > ack.seq);
  }

  /** Wait until `done()` holds (checked on every frame and every 200 ms). */
  async until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`visitor ${this.customerId}: timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.closing = true;
    this.ws?.close();
  }
}

/** Run `fn` over `items` with at most `limit` at a time. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!, i);
      }
    }),
  );
  return results;
}
