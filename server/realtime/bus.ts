import { EventEmitter } from 'node:events';

/**
 * Realtime notifications between the parts of the server (and, with PostgreSQL, between
 * instances). They carry ids only: receivers read the data from storage, so a notification
 * lost in a crash costs nothing but a little latency — clients catch up from the store.
 */
export type BusEvent =
  | { type: 'message'; conversationId: string; seq: number }
  /** `customerId` when the publisher knows it: receivers then need not look the owner up. */
  | { type: 'conversation'; conversationId: string; customerId?: string }
  | { type: 'typing'; conversationId: string; author: 'bot' | 'agent' | 'customer'; name?: string }
  | { type: 'ticket'; ticketId: string; conversationId: string }
  | { type: 'presence' }
  /** The published knowledge base changed (issue 14): instances behind `version` rebuild. */
  | { type: 'knowledge'; version: number }
  /**
   * Notifications may have been missed (the PostgreSQL LISTEN connection dropped and came
   * back): every receiver re-reads what it shows from storage. Emitted locally by a bus.
   */
  | { type: 'resync' };

export interface RealtimeBus {
  publish(event: BusEvent): void;
  subscribe(listener: (event: BusEvent) => void): () => void;
  close(): Promise<void>;
}

/** Single-instance bus. */
export class LocalBus implements RealtimeBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(event: BusEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: BusEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
