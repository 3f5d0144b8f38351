import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import type { ChatMessage } from '../../domain/transcript';
import type { ServerFrame } from './protocol';
import { messageFrame } from './render';

/** One connected widget. */
export interface WidgetClient {
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

/**
 * The widget's outbound side: which sockets show which conversation and customer, so a
 * realtime event reaches exactly its sockets through an index — the cost of an event grows
 * with the sockets of that conversation, not with every socket of the instance.
 */
export class SocketIndex {
  private readonly all = new Set<WidgetClient>();
  private readonly byConversation = new Map<string, Set<WidgetClient>>();
  private readonly byCustomer = new Map<string, Set<WidgetClient>>();

  get size(): number {
    return this.all.size;
  }

  clients(): IterableIterator<WidgetClient> {
    return this.all.values();
  }

  add(client: WidgetClient): void {
    this.all.add(client);
    addTo(this.byCustomer, client.customerId, client);
    if (client.conversationId) addTo(this.byConversation, client.conversationId, client);
  }

  remove(client: WidgetClient): void {
    this.all.delete(client);
    removeFrom(this.byCustomer, client.customerId, client);
    if (client.conversationId) removeFrom(this.byConversation, client.conversationId, client);
  }

  /** Point a socket at another conversation (from seq 0 if it is a different one). */
  follow(client: WidgetClient, conversationId: string | null, lastSent = 0): void {
    if (client.conversationId === conversationId) return;
    if (client.conversationId) removeFrom(this.byConversation, client.conversationId, client);
    client.conversationId = conversationId;
    client.lastSent = lastSent;
    if (conversationId && this.all.has(client)) addTo(this.byConversation, conversationId, client);
  }

  ofConversation(conversationId: string): ReadonlySet<WidgetClient> {
    return this.byConversation.get(conversationId) ?? EMPTY;
  }

  ofCustomer(customerId: string): ReadonlySet<WidgetClient> {
    return this.byCustomer.get(customerId) ?? EMPTY;
  }

  has(client: WidgetClient): boolean {
    return this.all.has(client);
  }

  isOpen(client: WidgetClient): boolean {
    return client.ws.readyState === WebSocket.OPEN;
  }
}

const EMPTY: ReadonlySet<WidgetClient> = new Set();

function addTo(map: Map<string, Set<WidgetClient>>, key: string, client: WidgetClient): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(client);
}

function removeFrom(map: Map<string, Set<WidgetClient>>, key: string, client: WidgetClient): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(client);
  if (set.size === 0) map.delete(key);
}

const FLUSH_BATCH = 200;

/** Show a socket the given messages it has not seen yet, in seq order (older ones are skipped). */
export function showMessages(client: WidgetClient, rows: readonly ChatMessage[], send: (frame: ServerFrame) => void): void {
  for (const message of rows) {
    if (message.seq <= client.lastSent) continue;
    client.lastSent = message.seq;
    const frame = messageFrame(message);
    if (frame) send(frame);
  }
}

/** Send every stored message newer than what this socket has seen, in order. */
export async function flushStored(
  client: WidgetClient,
  list: (conversationId: string, afterSeq: number, limit: number) => Promise<ChatMessage[]>,
  send: (frame: ServerFrame) => void,
): Promise<void> {
  for (;;) {
    if (!client.conversationId) return;
    const batch = await list(client.conversationId, client.lastSent, FLUSH_BATCH);
    showMessages(client, batch, send);
    if (batch.length < FLUSH_BATCH) return;
  }
}

/**
 * Send a frame; the frames a socket gets within one turn of the event loop leave in one write.
 * A bot turn gives a visitor three or four frames (typing, ack, question, answer) within
 * microseconds; written one by one that is a syscall and a TCP segment each, which cost more
 * than building them. The socket is corked at its first frame and uncorked once the current
 * I/O callbacks are done (setImmediate), so no frame waits for later I/O.
 */
export function sendCoalesced(ws: WebSocket, data: string): void {
  // ws keeps its net.Socket private; without it (never in practice) frames go out one by one.
  const socket = (ws as unknown as { _socket?: Duplex })._socket;
  if (socket && !corked.has(socket)) {
    socket.cork();
    corked.add(socket);
    if (corked.size === 1) setImmediate(uncorkAll);
  }
  ws.send(data);
}

const corked = new Set<Duplex>();

function uncorkAll(): void {
  for (const socket of corked) socket.uncork();
  corked.clear();
}
