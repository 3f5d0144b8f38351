/**
 * The visitor's transcript as a pure, immutable state machine: dedupe and resume by
 * (conversationId, seq), optimistic sends matched by clientId, unread counting.
 * No DOM, no network: chat.ts feeds it frames, the tests feed it fixtures.
 */
import type { ChatMessage, ClientFrame } from '../../../server/channels/web/protocol';

export type OutgoingFrame = Extract<ClientFrame, { type: 'message' | 'action' }>;

export interface Outgoing {
  frame: OutgoingFrame;
  /** sending: not acked yet (re-sent on every reconnect); sent: acked, waiting for the echo; failed: the server refused it. */
  status: 'sending' | 'sent' | 'failed';
  errorCode?: string;
  error?: string;
  /** From the ack, to match the echoed message when it carries no clientId. */
  seq?: number;
  conversationId?: string;
}

export interface Transcript {
  /** The conversation the visitor is in now (the server's latest). */
  conversationId?: string;
  /** Highest seq seen in that conversation: sent as `hello.lastSeq`, and anything at or below it is a duplicate. */
  lastSeq: number;
  /** Earlier conversations of this visitor: their messages stay visible, late frames for them are ignored. */
  retired: string[];
  /** Every message shown, oldest first; within a conversation in seq order. */
  messages: ChatMessage[];
  /** Optimistic copies of what the visitor sent, until the server's echo replaces them. */
  outbox: Outgoing[];
  /** Bot/agent messages that arrived while the panel was closed. */
  unread: number;
}

export const MAX_KEPT_MESSAGES = 200;
const MAX_RETIRED = 20;

export const emptyTranscript = (): Transcript => ({ lastSeq: 0, retired: [], messages: [], outbox: [], unread: 0 });

/**
 * Make `id` the current conversation (a new one after "resolved", or another tab's). A retired
 * conversation stays retired unless the server names it explicitly (`force`: its `ready` or
 * `conversation` frame): late messages must not pull the chat back, the server may.
 */
export function switchConversation(t: Transcript, id: string, opts: { force?: boolean } = {}): Transcript {
  if (t.conversationId === id) return t;
  if (t.retired.includes(id) && !opts.force) return t;
  const kept = t.retired.filter((r) => r !== id);
  const retired = t.conversationId ? [...kept, t.conversationId].slice(-MAX_RETIRED) : kept;
  // From seq 0 the server replays the whole conversation: drop what we held of it, or it shows twice.
  return { ...t, conversationId: id, lastSeq: 0, retired, messages: t.messages.filter((m) => m.conversationId !== id) };
}

export interface AddResult {
  transcript: Transcript;
  /** False when the message was a duplicate or belonged to a retired conversation. */
  accepted: boolean;
}

/** Apply one message from the server (live, replayed after `hello`, or from the REST fallback). */
export function addMessage(t: Transcript, message: ChatMessage, panelOpen: boolean): AddResult {
  if (message.conversationId !== t.conversationId) {
    if (t.retired.includes(message.conversationId)) return { transcript: t, accepted: false };
    t = switchConversation(t, message.conversationId);
  }
  if (message.seq <= t.lastSeq) return { transcript: t, accepted: false };
  const visible = message.content.type !== 'note';
  const fromUs = message.author === 'bot' || message.author === 'agent';
  const messages = visible ? [...t.messages, message].slice(-MAX_KEPT_MESSAGES) : t.messages;
  const outbox = t.outbox.filter(
    (o) =>
      !(message.clientId && o.frame.clientId === message.clientId) &&
      !(o.seq === message.seq && o.conversationId === message.conversationId),
  );
  return {
    transcript: {
      ...t,
      lastSeq: message.seq,
      messages,
      outbox,
      unread: visible && fromUs && !panelOpen ? t.unread + 1 : t.unread,
    },
    accepted: true,
  };
}

export function addMessages(t: Transcript, messages: readonly ChatMessage[], panelOpen: boolean): Transcript {
  for (const m of messages) t = addMessage(t, m, panelOpen).transcript;
  return t;
}

/** Queue an optimistic send. */
export function enqueue(t: Transcript, frame: OutgoingFrame): Transcript {
  return { ...t, outbox: [...t.outbox, { frame, status: 'sending' }] };
}

export function ack(t: Transcript, clientId: string, seq: number, conversationId: string): Transcript {
  const echoed = t.messages.some((m) => m.conversationId === conversationId && m.seq === seq);
  const outbox = echoed
    ? t.outbox.filter((o) => o.frame.clientId !== clientId)
    : t.outbox.map((o) => (o.frame.clientId === clientId ? { ...o, status: 'sent' as const, seq, conversationId } : o));
  return { ...t, outbox };
}

/** Error codes after which re-sending the same frame would succeed (nothing was stored). */
const RETRYABLE = new Set(['not_ready', 'internal']);

export function fail(t: Transcript, clientId: string, code: string, error: string): Transcript {
  if (RETRYABLE.has(code)) return t;
  return {
    ...t,
    outbox: t.outbox.map((o) => (o.frame.clientId === clientId && o.status !== 'sent' ? { ...o, status: 'failed' as const, errorCode: code, error } : o)),
  };
}

/** The visitor pressed "Retry" on a failed message: same clientId, so the server can't store it twice. */
export function retry(t: Transcript, clientId: string): Transcript {
  return {
    ...t,
    outbox: t.outbox.map((o) => {
      if (o.frame.clientId !== clientId) return o;
      const { errorCode: _c, error: _e, ...rest } = o;
      return { ...rest, status: 'sending' as const };
    }),
  };
}

export function discard(t: Transcript, clientId: string): Transcript {
  return { ...t, outbox: t.outbox.filter((o) => o.frame.clientId !== clientId) };
}

/** Frames to (re-)send after a (re)connect, in the order the visitor sent them. */
export function unacked(t: Transcript): OutgoingFrame[] {
  return t.outbox.filter((o) => o.status === 'sending').map((o) => o.frame);
}

export function markRead(t: Transcript): Transcript {
  return t.unread === 0 ? t : { ...t, unread: 0 };
}

/** Has the visitor said anything yet (typed or pressed)? Suggestions are shown only before that. */
export function visitorHasSpoken(t: Transcript): boolean {
  return t.outbox.length > 0 || t.messages.some((m) => m.author === 'customer');
}

/** Parse what storage.ts saved, tolerating old or hand-edited values. */
export function reviveTranscript(raw: unknown): Transcript {
  const t = emptyTranscript();
  if (!raw || typeof raw !== 'object') return t;
  const r = raw as Partial<Transcript>;
  if (typeof r.conversationId === 'string') t.conversationId = r.conversationId;
  if (typeof r.lastSeq === 'number' && r.lastSeq >= 0 && t.conversationId) t.lastSeq = Math.floor(r.lastSeq);
  if (Array.isArray(r.retired)) t.retired = r.retired.filter((x): x is string => typeof x === 'string');
  if (Array.isArray(r.messages)) {
    t.messages = r.messages.filter(
      (m): m is ChatMessage => !!m && typeof m === 'object' && typeof m.seq === 'number' && typeof m.conversationId === 'string' && !!m.content,
    );
  }
  if (Array.isArray(r.outbox)) {
    t.outbox = r.outbox.filter((o): o is Outgoing => !!o && typeof o === 'object' && !!o.frame && typeof o.frame.clientId === 'string');
  }
  if (typeof r.unread === 'number' && r.unread >= 0) t.unread = Math.floor(r.unread);
  return t;
}
