import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { SAMPLE_KB_DIR } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server';

/**
 * A fake Slack on 127.0.0.1: the Web API the adapter calls (recorded), and the other
 * direction — signed Events API, interactivity and slash-command requests to the server.
 */

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  /** For chat.postMessage: the ts the fake gave the new message. */
  ts?: string;
}

export interface SlackUser {
  id: string;
  name: string;
  email?: string;
}

type Failure = { kind: 'ratelimited' } | { kind: 'error'; error: string } | { kind: 'http'; status: number };

/**
 * A Slack outage, until switched off: every Web API call answers 500 (`http500`), 429 with
 * Retry-After (`ratelimited`), or never answers (`hang`: the request is held, recorded as
 * `<method>!hung`, and its connection is cut when the hang ends; it never counts as done).
 */
export type OutageMode = 'http500' | 'ratelimited' | 'hang';
export interface OutageOptions {
  /** Retry-After seconds for `ratelimited` (default 1). */
  retryAfter?: number;
  /** Methods that keep working (e.g. `auth.test`). */
  except?: string[];
}

/** Thrown inside the fake to cut a held request's connection without an answer. */
class HangUp extends Error {}

export interface Button {
  action_id: string;
  text: { text: string };
  value?: string;
}

export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';
export const TEAM_ID = 'T0TEST';

let seq = 0;
/** A Slack-looking message ts, unique and increasing. */
export function nextTs(): string {
  seq += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(100000 + seq).padStart(6, '0')}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    // The Web API client sends nested values (blocks …) as JSON strings.
    args[k] = (k === 'blocks' || k === 'attachments') && v.startsWith('[') ? JSON.parse(v) : v;
  }
  return args;
}

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  /** Requests that reached the fake for an unknown path or method. */
  readonly unknown: string[] = [];
  /** Where signed requests go: `${answerdesk}/slack/events`. */
  target = '';
  private readonly users = new Map<string, SlackUser>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly holds = new Map<string, Promise<void>>();
  private outageState: { mode: OutageMode; retryAfter: number; except: Set<string> } | undefined;
  /** Requests held by a `hang` outage: call to cut them. */
  private readonly hung = new Set<() => void>();
  private eventSeq = 0;
  /** Socket Mode: the server's open sockets, and acks awaited by envelope id. */
  private readonly sockets = new WebSocketServer({ noServer: true });
  private readonly acks = new Map<string, (payload: unknown) => void>();
  socketConnections = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly signingSecret: string,
  ) {}

  static async start(signingSecret: string): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => {
      fake!.handle(req).then(
        ({ status, body, headers }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(body));
        },
        (err: unknown) => {
          if (err instanceof HangUp) {
            req.socket.destroy();
            return;
          }
          res.writeHead(500);
          res.end(String(err));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlack(server, `http://127.0.0.1:${port}`, signingSecret);
    server.on('upgrade', (req, socket, head) => fake!.upgrade(req, socket, head));
    return fake;
  }

  async close(): Promise<void> {
    this.outage(undefined);
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /**
   * An answerdesk server (sample help centre) whose Slack channel talks to this fake over
   * HTTP: support channel C_SUPPORT, agents' channel C_AGENTS. Signed requests go to it.
   */
  async startServer(env: Record<string, string> = {}): Promise<TestServer> {
    const server = await startTestServer({ ...this.serverEnv(), ...env }, { kbDir: SAMPLE_KB_DIR });
    this.target = `${server.url}/slack/events`;
    return server;
  }

  /** The environment that points an answerdesk server (in-process or spawned) at this fake. */
  serverEnv(): Record<string, string> {
    return {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: this.signingSecret,
      SLACK_API_URL: `${this.url}/api/`,
      SLACK_SUPPORT_CHANNELS: 'C_SUPPORT',
      SLACK_AGENTS_CHANNEL: 'C_AGENTS',
    };
  }

  /**
   * Switches a platform outage on (see OutageMode) or off (`undefined`): unlike failNext it
   * lasts until switched, for every Web API method but `options.except`. Ending a `hang`
   * cuts every held request (the caller sees a reset connection; nothing was posted).
   */
  outage(mode: OutageMode | undefined, options: OutageOptions = {}): void {
    this.outageState = mode ? { mode, retryAfter: options.retryAfter ?? 1, except: new Set(options.except ?? []) } : undefined;
    if (mode !== 'hang') {
      for (const cut of [...this.hung]) cut();
      this.hung.clear();
    }
  }

  addUser(user: SlackUser): void {
    this.users.set(user.id, user);
  }

  /** The next call(s) of `method` fail this way (one entry per call), then it works again. */
  failNext(method: string, failure: Failure, times = 1): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.failures.set(method, list);
  }

  /** Calls of `method` wait (a slow Slack) until the returned function is called. */
  hold(method: string): () => void {
    let release!: () => void;
    this.holds.set(method, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.holds.delete(method);
      release();
    };
  }

  /** Calls of `method` that arrived and are waiting on hold(). */
  readonly waiting: string[] = [];

  // --- Web API -----------------------------------------------------------------------

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const raw = await readBody(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const respond = /^\/respond\/(.+)$/.exec(path);
    if (respond) {
      this.calls.push({ method: 'response_url', args: JSON.parse(raw || '{}') as Record<string, unknown>, token: undefined });
      return { status: 200, body: { ok: true } };
    }
    const m = /^\/api\/([a-zA-Z.]+)$/.exec(path);
    if (req.method !== 'POST' || !m) {
      this.unknown.push(`${req.method} ${req.url}`);
      return { status: 404, body: { ok: false, error: 'unknown_method' } };
    }
    const method = m[1]!;
    const args = parseArgs(raw, String(req.headers['content-type'] ?? ''));
    const auth = String(req.headers.authorization ?? '');
    const call: ApiCall = { method, args, token: auth.startsWith('Bearer ') ? auth.slice(7) : (args.token as string | undefined) };

    const held = this.holds.get(method);
    if (held) {
      this.waiting.push(method);
      await held;
    }
    const outage = this.outageState;
    if (outage && !outage.except.has(method)) {
      if (outage.mode === 'hang') {
        this.calls.push({ ...call, method: `${method}!hung` });
        return new Promise((_resolve, reject) => {
          const cut = () => {
            this.hung.delete(cut);
            reject(new HangUp());
          };
          this.hung.add(cut);
        });
      }
      this.calls.push({ ...call, method: `${method}!failed` });
      if (outage.mode === 'ratelimited') {
        return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(outage.retryAfter) } };
      }
      return { status: 500, body: { ok: false, error: 'fatal_error' } };
    }
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      this.calls.push({ ...call, method: `${method}!failed` });
      if (failure.kind === 'ratelimited') return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '0' } };
      if (failure.kind === 'http') return { status: failure.status, body: { ok: false, error: 'fatal_error' } };
      return { status: 200, body: { ok: false, error: failure.error } };
    }
    if (method === 'apps.connections.open') {
      // Socket Mode: an app-level token buys a WebSocket URL (ours, on 127.0.0.1).
      this.calls.push(call);
      if (call.token !== 'xapp-test') return { status: 200, body: { ok: false, error: 'invalid_auth' } };
      return { status: 200, body: { ok: true, url: `${this.url.replace('http', 'ws')}/link/?ticket=t${nextTs()}` } };
    }
    if (call.token !== 'xoxb-test') {
      this.calls.push({ ...call, method: `${method}!unauthorized` });
      return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    }

    switch (method) {
      case 'auth.test':
        this.calls.push(call);
        return { status: 200, body: { ok: true, url: 'https://test.slack.com/', team: 'Test', user: 'answerdesk', team_id: TEAM_ID, user_id: BOT_USER_ID, bot_id: BOT_ID } };
      case 'chat.postMessage': {
        const ts = nextTs();
        this.calls.push({ ...call, ts });
        return { status: 200, body: { ok: true, channel: args.channel, ts, message: { type: 'message', text: args.text, user: BOT_USER_ID, bot_id: BOT_ID, ts, blocks: args.blocks } } };
      }
      case 'chat.update':
        this.calls.push(call);
        return { status: 200, body: { ok: true, channel: args.channel, ts: args.ts, text: args.text } };
      case 'chat.postEphemeral':
        this.calls.push(call);
        return { status: 200, body: { ok: true, message_ts: nextTs() } };
      case 'users.info': {
        this.calls.push(call);
        const user = this.users.get(String(args.user));
        if (!user) return { status: 200, body: { ok: false, error: 'user_not_found' } };
        return {
          status: 200,
          body: {
            ok: true,
            user: { id: user.id, name: user.name.toLowerCase(), real_name: user.name, profile: { real_name: user.name, display_name: user.name, ...(user.email ? { email: user.email } : {}) } },
          },
        };
      }
      default:
        this.unknown.push(`POST ${path}`);
        return { status: 200, body: { ok: false, error: 'unknown_method' } };
    }
  }

  // --- Socket Mode -------------------------------------------------------------------

  private upgrade(req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    if (!(req.url ?? '').startsWith('/link/')) {
      socket.destroy();
      return;
    }
    this.sockets.handleUpgrade(req, socket, head, (ws) => {
      this.socketConnections += 1;
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        if (msg.envelope_id) this.acks.get(msg.envelope_id)?.(msg.payload);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0TEST' } }));
    });
  }

  /** Waits until the server holds a Socket Mode connection (bounded). */
  async socketReady(timeoutMs = 10_000): Promise<WebSocket> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [ws] = this.sockets.clients;
      if (ws) return ws;
      if (Date.now() > deadline) throw new Error(`no Socket Mode connection; calls: ${JSON.stringify(this.calls.map((c) => c.method))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends an envelope over Socket Mode; resolves with the ack's payload, or rejects after a timeout. */
  async sendEnvelope(type: 'events_api' | 'interactive' | 'slash_commands', payload: unknown, timeoutMs = 5_000): Promise<unknown> {
    const ws = await this.socketReady();
    const envelopeId = `env-${nextTs()}`;
    const acked = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`envelope ${envelopeId} (${type}) was not acknowledged`)), timeoutMs);
      this.acks.set(envelopeId, (p) => {
        clearTimeout(timer);
        this.acks.delete(envelopeId);
        resolve(p);
      });
    });
    ws.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
    return acked;
  }

  /** The block_actions payload for pressing a button (Socket Mode sends it as an object). */
  clickPayload(message: ApiCall, buttonText: string, user: string): Record<string, unknown> {
    return this.blockActions(message, buttonText, user);
  }

  // --- what the fake saw ---------------------------------------------------------------

  posts(filter: { channel?: string; threadTs?: string } = {}): ApiCall[] {
    return this.calls.filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        (filter.channel === undefined || c.args.channel === filter.channel) &&
        (filter.threadTs === undefined || c.args.thread_ts === filter.threadTs),
    );
  }

  /** chat.postEphemeral calls (what only one member saw), optionally for one user. */
  ephemerals(filter: { user?: string; channel?: string; threadTs?: string } = {}): ApiCall[] {
    return this.calls.filter(
      (c) =>
        c.method === 'chat.postEphemeral' &&
        (filter.user === undefined || c.args.user === filter.user) &&
        (filter.channel === undefined || c.args.channel === filter.channel) &&
        (filter.threadTs === undefined || c.args.thread_ts === filter.threadTs),
    );
  }

  /** Polls the recorded calls until one matches (bounded). */
  async waitForCall(predicate: (c: ApiCall) => boolean, what = 'a Slack API call', timeoutMs = 10_000): Promise<ApiCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; calls: ${JSON.stringify(this.calls.map((c) => [c.method, c.args.channel, c.args.thread_ts, c.args.text]))}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  waitForPost(channel: string, threadTs: string | undefined, match: (text: string, c: ApiCall) => boolean, what?: string): Promise<ApiCall> {
    return this.waitForCall(
      (c) => c.method === 'chat.postMessage' && c.args.channel === channel && (threadTs === undefined || c.args.thread_ts === threadTs) && match(allText(c), c),
      what ?? `a post in ${channel}/${threadTs ?? '-'}`,
    );
  }

  // --- Slack → server ------------------------------------------------------------------

  sign(body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
    const signature = `v0=${createHmac('sha256', this.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) };
  }

  async post(body: string, contentType: string, options: { timestamp?: number; signature?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const signed = this.sign(body, options.timestamp);
    return fetch(this.target, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...signed,
        ...(options.signature ? { 'x-slack-signature': options.signature } : {}),
        ...(options.headers ?? {}),
      },
      body,
    });
  }

  newEventId(): string {
    this.eventSeq += 1;
    return `Ev${String(this.eventSeq).padStart(8, '0')}`;
  }

  /** An Events API `event_callback` envelope. */
  envelope(event: Record<string, unknown>, eventId = this.newEventId()): string {
    return JSON.stringify(this.eventCallback(event, eventId));
  }

  /** The `event_callback` body Slack wraps an event in (HTTP body, or Socket Mode payload). */
  eventCallback(event: Record<string, unknown>, eventId = this.newEventId()): Record<string, unknown> {
    return {
      token: 'legacy-verification-token',
      team_id: TEAM_ID,
      api_app_id: 'A0TEST',
      event: { event_ts: event.ts, ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    };
  }

  sendEvent(event: Record<string, unknown>, options: { eventId?: string; timestamp?: number; signature?: string; retryNum?: number } = {}): Promise<Response> {
    const body = this.envelope(event, options.eventId);
    const headers: Record<string, string> =
      options.retryNum !== undefined ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {};
    return this.post(body, 'application/json', { ...options, headers });
  }

  /** Presses a button of a message the server posted (a block_actions interaction). */
  click(message: ApiCall, buttonText: string, user: string): Promise<Response> {
    const payload = this.blockActions(message, buttonText, user);
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
  }

  private blockActions(message: ApiCall, buttonText: string, user: string): Record<string, unknown> {
    const button = buttons(message).find((b) => b.text.text === buttonText);
    if (!button) throw new Error(`no button "${buttonText}" in ${JSON.stringify(message.args.blocks)}`);
    const channel = String(message.args.channel);
    const threadTs = message.args.thread_ts as string | undefined;
    const payload = {
      type: 'block_actions',
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM_ID },
      api_app_id: 'A0TEST',
      token: 'legacy-verification-token',
      container: { type: 'message', message_ts: message.ts, channel_id: channel, is_ephemeral: false, ...(threadTs ? { thread_ts: threadTs } : {}) },
      trigger_id: `trigger-${nextTs()}`,
      team: { id: TEAM_ID, domain: 'test' },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channel, name: channel.toLowerCase() },
      message: {
        type: 'message',
        user: BOT_USER_ID,
        bot_id: BOT_ID,
        ts: message.ts,
        text: message.args.text,
        blocks: message.args.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      },
      state: { values: {} },
      response_url: `${this.url}/respond/${nextTs()}`,
      actions: [{ action_id: button.action_id, block_id: 'b1', text: { type: 'plain_text', text: button.text.text }, value: button.value, type: 'button', action_ts: nextTs() }],
    };
    return payload;
  }

  /** A slash command (form-encoded, like Slack sends it). */
  command(command: string, text: string, user: string, channel: string): Promise<Response> {
    const body = new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: TEAM_ID,
      team_domain: 'test',
      channel_id: channel,
      channel_name: channel.toLowerCase(),
      user_id: user,
      user_name: user.toLowerCase(),
      command,
      text,
      api_app_id: 'A0TEST',
      is_enterprise_install: 'false',
      response_url: `${this.url}/respond/${nextTs()}`,
      trigger_id: `trigger-${nextTs()}`,
    }).toString();
    return this.post(body, 'application/x-www-form-urlencoded');
  }
}

/** Every button in a posted message. */
export function buttons(call: ApiCall): Button[] {
  const blocks = (call.args.blocks ?? []) as { type: string; elements?: Button[] }[];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
}

/** The text of a call, with every block's text, for matching. */
export function allText(call: ApiCall): string {
  const parts: string[] = [String(call.args.text ?? '')];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'text' && typeof v === 'string') parts.push(v);
        else if (k !== 'value') walk(v);
      }
    }
  };
  walk(call.args.blocks);
  return parts.join('\n');
}
