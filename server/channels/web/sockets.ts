import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';
import type { VisitorTokens } from '../../auth/visitor-token';
import type { Config } from '../../config';
import type { ConversationService } from '../../conversations';
import type { BusEvent, RealtimeBus } from '../../realtime/bus';
import type { Conversation, Store } from '../../store/types';
import type { ChatMessage } from '../../domain/transcript';
import { normaliseInput, TooDeepError } from '../../domain/input';
import { clientFrameSchema } from './frames';
import { toInbound, WEB_THREAD } from './inbound';
import { ConversationOwners } from './owners';
import { flushStored, sendCoalesced, showMessages, SocketIndex, type WidgetClient } from './outbound';
import type { ClientFrame, ServerFrame } from './protocol';
import type { WidgetPresence } from './presence';
import { refusalFrame } from './render';

export const WIDGET_WS_PATH = '/api/widget/ws';
/** Bigger frames are cut off by ws itself (close code 1009) before we parse them. */
const MAX_FRAME_BYTES = 64 * 1024;
const HEARTBEAT_MS = 30_000;
/**
 * A customer message still without an answer this long after it was stored is taken to be
 * orphaned by an instance that stopped mid-turn (a normal turn takes milliseconds).
 */
const RECOVERY_GRACE_MS = 3_000;
export interface WidgetSocketDeps {
  config: Config;
  store: Store;
  service: ConversationService;
  bus: RealtimeBus;
  tokens: VisitorTokens;
  log: Logger;
  isAllowedOrigin(origin: string | undefined, req: IncomingMessage): boolean;
  /** Who has a widget open, across instances (the console's "offline" and email follow-ups). */
  presence?: WidgetPresence;
}

/** The widget's realtime channel: resumable, ordered, idempotent. It translates; the service decides. */
export class WidgetSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly index = new SocketIndex();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly owners: ConversationOwners;

  constructor(private readonly deps: WidgetSocketDeps) {
    this.owners = new ConversationOwners(deps.store);
    this.unsubscribe = deps.bus.subscribe((e) => this.onBus(e));
    this.heartbeat = setInterval(() => this.sweep(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.index.size;
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
    const client: WidgetClient = { ws, customerId, conversationId: null, lastSent: 0, chain: Promise.resolve(), alive: true, ready: false, flushQueued: false };
    this.index.add(client);
    this.deps.presence?.up(customerId);
    ws.on('pong', () => (client.alive = true));
    ws.on('close', () => this.forget(client));
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
      try {
        // The same edge normalisation as HTTP bodies: no NUL, no prototype keys, bounded depth.
        parsed = normaliseInput(parsed);
      } catch (err) {
        return this.send(client, { type: 'error', code: 'bad_frame', message: err instanceof TooDeepError ? err.message : 'invalid frame' });
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

  private enqueue(client: WidgetClient, work: () => Promise<void>): void {
    client.chain = client.chain.then(work).catch((err: unknown) => {
      this.deps.log.error({ err }, 'widget frame failed');
      this.send(client, { type: 'error', code: 'internal', message: 'something went wrong; please try again' });
    });
  }

  private async onFrame(client: WidgetClient, frame: ClientFrame): Promise<void> {
    switch (frame.type) {
      case 'ping':
        return this.send(client, { type: 'pong' });
      case 'typing':
        if (client.conversationId) this.deps.bus.publish({ type: 'typing', conversationId: client.conversationId, author: 'customer' });
        return;
      case 'hello':
        return this.hello(client, frame);
      case 'message':
      case 'action':
        return this.customerSays(client, frame);
    }
  }

  private async hello(client: WidgetClient, frame: Extract<ClientFrame, { type: 'hello' }>): Promise<void> {
    const { store, service, config } = this.deps;
    const conversation = (await this.owners.pinned(client.customerId, frame.pin)) ?? (await store.conversations.inThread(client.customerId, WEB_THREAD));
    this.index.follow(client, conversation?.id ?? null, conversation && frame.conversationId === conversation.id ? frame.lastSeq : 0);
    client.ready = true;
    await this.flush(client);
    this.send(client, {
      type: 'ready',
      conversation: conversation ? await service.view(conversation) : null,
      availability: await service.availability(),
      limits: { messageMaxBytes: config.messageMaxBytes },
    });
    // Before anything else this socket sends: answer a message a stopped instance left behind.
    if (conversation) await this.answerPending(client, conversation.id);
  }

  private async customerSays(client: WidgetClient, frame: Extract<ClientFrame, { type: 'message' | 'action' }>): Promise<void> {
    if (!client.ready) return this.send(client, { type: 'error', code: 'not_ready', message: 'send hello first', clientId: frame.clientId });
    const result = await this.deps.service.receive(toInbound(client.customerId, client.conversationId, frame), async (message, conversation) => {
      if (conversation.id !== client.conversationId) {
        // A new conversation (the last one was resolved): show it before acknowledging into it.
        // Awaited by the service, so both leave before the bot's answer.
        this.index.follow(client, conversation.id);
        const stored = conversation.opened ? undefined : await this.deps.store.conversations.get(conversation.id);
        const view = stored ? await this.deps.service.view(stored) : { id: conversation.id, channel: 'web' as const, state: 'bot' as const };
        this.send(client, { type: 'conversation', conversation: view });
      }
      this.send(client, { type: 'ack', clientId: frame.clientId, seq: message.seq, conversationId: conversation.id });
    });
    if (result.kind === 'refused') this.send(client, refusalFrame(result.error, frame.clientId, this.deps.config.messageMaxBytes));
    else if (result.kind === 'ignored') {
      const empty = result.reason === 'empty';
      this.send(client, { type: 'error', code: empty ? 'empty_message' : 'unknown_visitor', message: empty ? 'message is empty' : 'start a new session', clientId: frame.clientId });
    }
  }

  private async answerPending(client: WidgetClient, conversationId: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await this.deps.service.answerPending(conversationId, RECOVERY_GRACE_MS);
      if (!('retryInMs' in result)) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(result.retryInMs, RECOVERY_GRACE_MS) + 25));
      if (!this.index.isOpen(client)) return;
    }
  }

  private flush(client: WidgetClient): Promise<void> {
    return flushStored(client, (id, after, limit) => this.deps.store.conversations.listMessages(id, after, limit), (frame) => this.send(client, frame));
  }

  private queueFlush(client: WidgetClient): void {
    client.flushQueued = true;
    this.enqueue(client, () => {
      client.flushQueued = false;
      return this.flush(client);
    });
  }

  /** Send rows that arrived with an event; a gap before them means reading storage instead. */
  private async showRows(client: WidgetClient, rows: ChatMessage[]): Promise<void> {
    const first = rows[0];
    if (!first || first.conversationId !== client.conversationId) return;
    if (first.seq > client.lastSent + 1) return this.flush(client);
    showMessages(client, rows, (frame) => this.send(client, frame));
  }

  private onBus(event: BusEvent): void {
    switch (event.type) {
      case 'message':
        for (const client of this.index.ofConversation(event.conversationId)) {
          // Under load events outpace reads; one queued read covers them all.
          if (!client.ready || client.flushQueued) continue;
          const rows = event.messages;
          if (rows) {
            // The rows came with the event: shown without a read when nothing is missing before them.
            this.enqueue(client, async () => (client.flushQueued ? undefined : this.showRows(client, rows)));
            continue;
          }
          this.queueFlush(client);
        }
        return;
      case 'typing':
        if (event.author === 'customer') return;
        for (const client of this.index.ofConversation(event.conversationId)) {
          if (client.ready) this.send(client, { type: 'typing', author: event.author, ...(event.name ? { name: event.name } : {}) });
        }
        return;
      case 'conversation':
        if (this.index.size === 0) return;
        this.owners.of(event.conversationId, event.customerId)
          .then((customerId) => {
            if (!customerId) return;
            for (const client of this.index.ofCustomer(customerId)) if (client.ready) this.onConversationEvent(client, event.conversationId, event.opened === true);
          })
          .catch((err: unknown) => this.deps.log.error({ err }, 'conversation event failed'));
        return;
      case 'presence':
        if (this.index.size > 0) void this.broadcastAvailability();
        return;
      case 'resync':
        // Notifications may have been lost: show the current state and whatever is new.
        for (const client of this.index.clients()) {
          if (!client.ready) continue;
          this.enqueue(client, async () => {
            const conversation = client.conversationId
              ? await this.deps.store.conversations.get(client.conversationId)
              : await this.deps.store.conversations.inThread(client.customerId, WEB_THREAD);
            if (conversation) await this.showConversation(client, conversation);
          });
        }
        return;
      case 'ticket':
        return;
    }
  }

  /** Presence changed: availability is the same for everyone, so it is read once. */
  private async broadcastAvailability(): Promise<void> {
    try {
      const availability = await this.deps.service.availability();
      for (const client of this.index.clients()) if (client.ready) this.enqueue(client, async () => this.send(client, { type: 'availability', availability }));
    } catch (err) {
      this.deps.log.error({ err }, 'availability broadcast failed');
    }
  }

  private onConversationEvent(client: WidgetClient, conversationId: string, opened: boolean): void {
    this.enqueue(client, async () => {
      // The socket that opened it was shown it already (in its acknowledgement).
      if (opened && client.conversationId === conversationId) return;
      const conversation = await this.deps.store.conversations.get(conversationId);
      // Another tab of the same visitor may have started it: follow it.
      if (conversation && conversation.customerId === client.customerId) await this.showConversation(client, conversation);
    });
  }

  /** Point the socket at `conversation`, send its state and what is unsent. */
  private async showConversation(client: WidgetClient, conversation: Conversation): Promise<void> {
    this.index.follow(client, conversation.id);
    this.send(client, { type: 'conversation', conversation: await this.deps.service.view(conversation) });
    await this.flush(client);
  }

  private send(client: WidgetClient, frame: ServerFrame): void {
    if (this.index.isOpen(client)) sendCoalesced(client.ws, JSON.stringify(frame));
  }

  /** A socket is gone (closed, dead or shut down): once per socket, whichever comes first. */
  private forget(client: WidgetClient): void {
    if (!this.index.has(client)) return;
    this.index.remove(client);
    this.deps.presence?.down(client.customerId);
  }

  private sweep(): void {
    for (const client of [...this.index.clients()]) {
      if (!client.alive) {
        client.ws.terminate();
        this.forget(client);
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
    const clients = [...this.index.clients()];
    await Promise.allSettled(clients.map((c) => c.chain));
    for (const client of clients) {
      this.send(client, { type: 'reconnect' });
      client.ws.close(1012, 'server restarting');
      this.forget(client);
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
