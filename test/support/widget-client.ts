import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Action } from '../../bot/types';
import type { ChatMessage, ClientFrame, ServerFrame, SessionResponse } from '../../server/channels/web/protocol';

/**
 * A scripted widget: the same HTTP + WebSocket protocol as widget/src, without a browser.
 * Keeps every frame so tests can wait for what they expect.
 */
export class WidgetClient {
  frames: ServerFrame[] = [];
  private ws: WebSocket | undefined;
  private waiters: (() => void)[] = [];
  token = '';
  conversationId: string | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly origin = baseUrl,
  ) {}

  async session(body: Record<string, unknown> = {}): Promise<SessionResponse> {
    const res = await fetch(`${this.baseUrl}/api/widget/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.origin },
      body: JSON.stringify({ key: 'demo', ...(this.token ? { token: this.token } : {}), ...body }),
    });
    if (!res.ok) throw new Error(`session failed: ${res.status} ${await res.text()}`);
    const session = (await res.json()) as SessionResponse;
    this.token = session.token;
    return session;
  }

  /** `pin`: the conversation a "Continue in chat" page stored for the widget to ask for. */
  async connect(lastSeq = 0, token = this.token, pin?: string): Promise<void> {
    const ws = new WebSocket(`${this.baseUrl.replace('http', 'ws')}/api/widget/ws?token=${encodeURIComponent(token)}`, { origin: this.origin });
    this.ws = ws;
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (frame.type === 'ready' && frame.conversation) this.conversationId = frame.conversation.id;
      if (frame.type === 'conversation') this.conversationId = frame.conversation.id;
      this.frames.push(frame);
      for (const w of this.waiters.splice(0)) w();
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    this.send({ type: 'hello', ...(this.conversationId ? { conversationId: this.conversationId } : {}), lastSeq, ...(pin ? { pin } : {}) });
    await this.waitFor((f) => f.type === 'ready');
  }

  send(frame: ClientFrame | Record<string, unknown>): void {
    this.ws!.send(JSON.stringify(frame));
  }

  sendRaw(data: string): void {
    this.ws!.send(data);
  }

  say(text: string, clientId: string = randomUUID()): string {
    this.send({ type: 'message', clientId, text });
    return clientId;
  }

  press(action: Action, label: string = action.kind, clientId: string = randomUUID()): string {
    this.send({ type: 'action', clientId, action, label });
    return clientId;
  }

  messages(): ChatMessage[] {
    return this.frames.flatMap((f) => (f.type === 'message' ? [f.message] : []));
  }

  /** Resolves with the first frame (already received or future) that matches; times out loudly. */
  async waitFor<T extends ServerFrame>(predicate: (f: ServerFrame) => boolean, timeoutMs = 5000, from = 0): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(predicate);
      if (found) return found as T;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; frames so far:\n${this.frames.map((f) => JSON.stringify(f)).join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitForMessage(predicate: (m: ChatMessage) => boolean, timeoutMs = 5000): Promise<ChatMessage> {
    const f = await this.waitFor<Extract<ServerFrame, { type: 'message' }>>((f) => f.type === 'message' && predicate(f.message), timeoutMs);
    return f.message;
  }

  /**
   * Resolves once the server has handled every frame sent before it, bot turns included: one
   * socket's frames are handled in order, and a customer message's turn finishes before the
   * next frame starts. Then the stored conversation (`history()`) is final — wait on this, not
   * on a fixed sleep, before asserting that something did NOT happen.
   */
  async settle(): Promise<void> {
    const from = this.frames.length;
    this.send({ type: 'ping' });
    await this.waitFor((f) => f.type === 'pong', 5000, from);
  }

  /** The visitor's conversation as stored (the REST history the widget falls back to). */
  async history(): Promise<ChatMessage[]> {
    const res = await fetch(`${this.baseUrl}/api/widget/messages`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw new Error(`history failed: ${res.status}`);
    return ((await res.json()) as { messages: ChatMessage[] }).messages;
  }

  close(): void {
    this.ws?.close();
  }
}
