import type { ClientFrame, ServerFrame } from '../../server/channels/web/protocol';
import type { SocketLike } from '../src/panel/connection';

/** A scripted WebSocket: tests open/close it and push server frames. */
export class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: ClientFrame[] = [];
  closedByClient = false;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }

  static latest(): FakeSocket {
    const s = FakeSocket.all.at(-1);
    if (!s) throw new Error('no socket created');
    return s;
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientFrame);
  }

  close(): void {
    this.closedByClient = true;
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** The connection failed or dropped. */
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }

  receive(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  ofType<K extends ClientFrame['type']>(type: K): Extract<ClientFrame, { type: K }>[] {
    return this.sent.filter((f): f is Extract<ClientFrame, { type: K }> => f.type === type);
  }
}
