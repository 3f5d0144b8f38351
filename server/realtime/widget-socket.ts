import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import type { VisitorTokens } from '../auth/visitor-token';
import type { Config } from '../config';
import { ConversationService } from '../conversations';
import type { Conversation, Store } from '../store/types';
import type { BusEvent, RealtimeBus } from './bus';
import { cleanText, clientFrameSchema } from './frames';
import type { ClientFrame, ServerFrame } from './protocol';

export const WIDGET_WS_PATH = '/api/widget/ws';
/** Bigger frames are cut off by ws itself (close code 1009) before we parse them. */
const MAX_FRAME_BYTES = 64 * 1024;
const HEARTBEAT_MS = 30_000;
/**
 * A customer message still without an answer this long after it was stored is taken to be
 * orphaned by an instance that stopped mid-turn (a normal turn takes milliseconds).
 */
const RECOVERY_GRACE_MS = 3_000;
/** conversation id → customer id (never changes), so bus events reach only that visitor's sockets. */
const OWNER_CACHE_MAX = 10_000;

interface Client {
  ws: WebSocket;
  customerId: string;
  conversationId: string | null;
  /** Highest seq sent to this socket: the next flush sends only what is newer. */
  lastSent: number;
  /** Sends are serialised per socket so frames leave in seq order. */
  chain: Promise<void>;
  alive: boolean;
  ready: boolean;
  /** A flush is queued and has not started: it will read whatever arrives meanwhile too. */
  flushQueued: boolean;
}

export interface WidgetSocketDeps {
  config: Config;
  store: Store;
  service: ConversationService;
  bus: RealtimeBus;
  tokens: VisitorTokens;
  log: Logger;
  isAllowedOrigin(origin: string | undefined, req: IncomingMessage): boolean;
}

/** The widget's realtime channel: resumable, ordered, idempotent. */
export class WidgetSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly owners = new Map<string, string>();

  constructor(private readonly deps: WidgetSocketDeps) {
    this.unsubscribe = deps.bus.subscribe((e) => this.onBus(e));
    this.heartbeat = setInterval(() => this.sweep(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const reject = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!this.deps.isAllowedOrigin(req.headers.origin, req)) return reject(403, 'Forbidden');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const claims = this.deps.tokens.verify(url.searchParams.get('token'));
    if (!claims) return reject(401, 'Unauthorized');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, claims.customerId));
  }

  private onConnection(ws: WebSocket, customerId: string): void {
    const client: Client = { ws, customerId, conversationId: null, lastSent: 0, chain: Promise.resolve(), alive: true, ready: false, flushQueued: false };
    this.clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', (err) => this.deps.log.debug({ err: err.message }, 'widget socket error'));
    ws.on('message', (data, isBinary) => {
      client.alive = true;
      if (isBinary) return this.send(client, { type: 'error', code: 'bad_frame', message: 'frames must be JSON text' });
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        return this.send(client, { type: 'error', code: 'bad_frame', message: 'frame is not valid JSON' });
      }
      const frame = clientFrameSchema.safeParse(parsed);
      if (!frame.success) {
        // Name the field ("action.score: Too big …"): the sender learns what to fix.
        const issue = frame.error.issues[0];
        const message = issue ? `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}` : 'invalid frame';
        return this.send(client, { type: 'error', code: 'bad_frame', message });
      }
      this.enqueue(client, () => this.onFrame(client, frame.data));
    });
  }

  private enqueue(client: Client, work: () => Promise<void>): void {
    client.chain = client.chain.then(work).catch((err: unknown) => {
      this.deps.log.error({ err }, 'widget frame failed');
      this.send(client, { type: 'error', code: 'internal', message: 'something went wrong; please try again' });
    });
  }

  private async onFrame(client: Client, frame: ClientFrame): Promise<void> {
    const { store, service, config } = this.deps;
    switch (frame.type) {
      case 'ping':
        return this.send(client, { type: 'pong' });
      case 'typing':
        if (client.conversationId) this.deps.bus.publish({ type: 'typing', conversationId: client.conversationId, author: 'customer' });
        return;
      case 'hello': {
        const conversation = await store.latestConversation(client.customerId);
        client.conversationId = conversation?.id ?? null;
        client.lastSent = conversation && frame.conversationId === conversation.id ? frame.lastSeq : 0;
        client.ready = true;
        await this.flush(client);
        this.send(client, {
          type: 'ready',
          conversation: conversation ? await service.view(conversation) : null,
          availability: await service.availability(),
        });
        // Before anything else this socket sends: answer a message a stopped instance left behind.
        if (conversation) await this.answerPending(client, conversation.id);
        return;
      }
      case 'message':
      case 'action': {
        if (!client.ready) return this.send(client, { type: 'error', code: 'not_ready', message: 'send hello first', clientId: frame.clientId });
        const hits = await store.hitRateLimit(`visitor:${client.customerId}`, 60_000);
        if (hits > config.rateLimits.visitorPerMinute) {
          return this.send(client, { type: 'error', code: 'rate_limited', message: 'You are sending messages too quickly. Please wait a moment.', clientId: frame.clientId });
        }
        const text = frame.type === 'message' ? cleanText(frame.text) : '';
        if (frame.type === 'message') {
          if (Buffer.byteLength(text) > config.messageMaxBytes) {
            return this.send(client, {
              type: 'error',
              code: 'message_too_large',
              message: `Messages are limited to ${config.messageMaxBytes} bytes. Please shorten it or split it up.`,
              clientId: frame.clientId,
            });
          }
          if (text === '') return this.send(client, { type: 'error', code: 'empty_message', message: 'message is empty', clientId: frame.clientId });
        }
        // Surveys and feedback belong to the conversation they answer, even once it is resolved;
        // anything else goes to the open conversation, or starts one (the only case that needs
        // the customer record, so the common case costs one read).
        const latest = await store.latestConversation(client.customerId);
        const answersLatest = frame.type === 'action' && (ConversationService.acceptedInAnyState(frame.action) || latest?.state !== 'resolved');
        let conversation: Conversation;
        if (latest && ((answersLatest && latest.id === client.conversationId) || latest.state !== 'resolved')) {
          conversation = latest;
        } else {
          const customer = await store.getCustomer(client.customerId);
          if (!customer) return this.send(client, { type: 'error', code: 'unknown_visitor', message: 'start a new session' });
          conversation = await service.conversationFor(customer, 'web');
        }
        if (conversation.id !== client.conversationId) {
          client.conversationId = conversation.id;
          client.lastSent = 0;
          this.send(client, { type: 'conversation', conversation: await service.view(conversation) });
        }
        const ack = (m: { seq: number }) => this.send(client, { type: 'ack', clientId: frame.clientId, seq: m.seq, conversationId: conversation.id });
        if (frame.type === 'message') await service.customerText(conversation, text, frame.clientId, ack);
        else await service.customerAction(conversation, frame.action, frame.label.slice(0, 200), frame.clientId, ack);
        return;
      }
    }
  }

  private async answerPending(client: Client, conversationId: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await this.deps.service.answerPending(conversationId, RECOVERY_GRACE_MS);
      if (!('retryInMs' in result)) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(result.retryInMs, RECOVERY_GRACE_MS) + 25));
      if (client.ws.readyState !== WebSocket.OPEN) return;
    }
  }

  /** Send every stored message newer than what this socket has seen, in order. */
  private async flush(client: Client): Promise<void> {
    if (!client.conversationId) return;
    for (;;) {
      const batch = await this.deps.store.listMessages(client.conversationId, client.lastSent, 200);
      for (const message of batch) {
        client.lastSent = message.seq;
        if (ConversationService.visibleToCustomer(message)) this.send(client, { type: 'message', message });
      }
      if (batch.length < 200) return;
    }
  }

  /** Who owns a conversation: one read per conversation, not one per connected socket. */
  private async ownerOf(conversationId: string): Promise<string | undefined> {
    const known = this.owners.get(conversationId);
    if (known) return known;
    const conversation = await this.deps.store.getConversation(conversationId);
    if (!conversation) return undefined;
    if (this.owners.size >= OWNER_CACHE_MAX) this.owners.clear();
    this.owners.set(conversationId, conversation.customerId);
    return conversation.customerId;
  }

  private onBus(event: BusEvent): void {
    if (event.type === 'conversation') {
      // Every ready socket used to read the conversation to see whether it was theirs: with
      // thousands of sockets that is thousands of reads per event. Find the owner once.
      this.ownerOf(event.conversationId)
        .then((customerId) => {
          if (!customerId) return;
          for (const client of this.clients) {
            if (client.ready && client.customerId === customerId) this.onConversationEvent(client, event.conversationId);
          }
        })
        .catch((err: unknown) => this.deps.log.error({ err }, 'conversation event failed'));
      return;
    }
    for (const client of this.clients) {
      if (!client.ready) continue;
      if (event.type === 'message' && event.conversationId === client.conversationId) {
        // Under load events outpace reads; one queued read covers them all.
        if (client.flushQueued) continue;
        client.flushQueued = true;
        this.enqueue(client, () => {
          client.flushQueued = false;
          return this.flush(client);
        });
      } else if (event.type === 'typing' && event.conversationId === client.conversationId && event.author !== 'customer') {
        this.send(client, { type: 'typing', author: event.author, ...(event.name ? { name: event.name } : {}) });
      } else if (event.type === 'presence') {
        this.enqueue(client, async () => this.send(client, { type: 'availability', availability: await this.deps.service.availability() }));
      } else if (event.type === 'resync') {
        // Notifications may have been lost: show the current state and whatever is new.
        this.enqueue(client, async () => {
          const conversation = client.conversationId
            ? await this.deps.store.getConversation(client.conversationId)
            : await this.deps.store.latestConversation(client.customerId);
          if (conversation) await this.showConversation(client, conversation);
        });
      }
    }
  }

  private onConversationEvent(client: Client, conversationId: string): void {
    this.enqueue(client, async () => {
      const conversation = await this.deps.store.getConversation(conversationId);
      // Another tab of the same visitor may have started it: follow it.
      if (conversation && conversation.customerId === client.customerId) await this.showConversation(client, conversation);
    });
  }

  /** Point the socket at `conversation` (from seq 0 if it is a new one), send its state and what is unsent. */
  private async showConversation(client: Client, conversation: Conversation): Promise<void> {
    if (conversation.id !== client.conversationId) {
      client.conversationId = conversation.id;
      client.lastSent = 0;
    }
    this.send(client, { type: 'conversation', conversation: await this.deps.service.view(conversation) });
    await this.flush(client);
  }

  private send(client: Client, frame: ServerFrame): void {
    if (client.ws.readyState === WebSocket.OPEN) client.ws.send(JSON.stringify(frame));
  }

  private sweep(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        client.ws.terminate();
        this.clients.delete(client);
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }

  /** Graceful shutdown: ask widgets to reconnect (to another instance), then close. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    await Promise.allSettled([...this.clients].map((c) => c.chain));
    for (const client of this.clients) {
      this.send(client, { type: 'reconnect' });
      client.ws.close(1012, 'server restarting');
    }
    this.clients.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
