import { EventEmitter } from 'node:events';
import type { ChatMessage } from '../domain/transcript';

/**
 * Realtime notifications between the parts of the server (and, with PostgreSQL, between
 * instances). They carry ids only: receivers read the data from storage, so a notification
 * lost in a crash costs nothing but a little latency — clients catch up from the store.
 */
export type BusEvent =
  /**
   * `messages`: the stored rows, for this instance's subscribers only (never sent between
   * instances): a socket that has everything before them shows them without reading storage.
   */
  | { type: 'message'; conversationId: string; seq: number; messages?: ChatMessage[] }
  /** `customerId` when the publisher knows it: receivers then need not look the owner up. */
  | { type: 'conversation'; conversationId: string; customerId?: string; opened?: boolean }
  | { type: 'typing'; conversationId: string; author: 'bot' | 'agent' | 'customer'; name?: string }
  | { type: 'ticket'; ticketId: string; conversationId: string }
  | { type: 'presence' }
  /** Webhook subscriptions changed: emitters re-read which event types are wanted. */
  | { type: 'webhooks' }
  /** The published knowledge base changed (issue 14): instances behind `version` rebuild. */
  | { type: 'knowledge'; version: number }
  /**
   * Notifications may have been missed (the PostgreSQL LISTEN connection dropped and came
   * back): every receiver re-reads what it shows from storage. Emitted locally by a bus.
   */
  | { type: 'resync' };

/**
 * `local`: this instance's subscribers only — for an event another event published soon
 * after will cover for the other instances (a customer's message and the bot turn answering
 * it). `remote`: the other instances only (this one was told already), so a turn's events
 * leave in one NOTIFY.
 */
export type Reach = 'everywhere' | 'local' | 'remote';

export interface RealtimeBus {
  publish(event: BusEvent, reach?: Reach): void;
  subscribe(listener: (event: BusEvent) => void): () => void;
  close(): Promise<void>;
}

/** Single-instance bus. */
export class LocalBus implements RealtimeBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(event: BusEvent, reach: Reach = 'everywhere'): void {
    if (reach !== 'remote') this.emitter.emit('event', event);
  }

  subscribe(listener: (event: BusEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
