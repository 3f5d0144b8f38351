import type { Conversation } from '../store/types';

/** A thread's conversation as this instance last wrote it, with the sender's rate-limit hits then. */
export type Remembered = Conversation & { hits: number };

/**
 * The conversation this instance last answered in each thread, as of its own write: what a
 * follow-up is planned on without reading the conversation first. A guess, never trusted —
 * the turn is written only if the conversation is still that version
 * (`appendTurnIfCurrent`), so an entry made stale by an agent, another instance or a
 * resolution costs one extra round trip, never a wrong answer.
 *
 * Bounded (10,000 threads by default, a few MB): the thread answered longest ago goes first.
 */
export class RecentThreads {
  private readonly byThread = new Map<string, Remembered>();

  constructor(private readonly capacity = 10_000) {}

  get(customerId: string, threadKey: string): Remembered | undefined {
    return this.byThread.get(key(customerId, threadKey));
  }

  remember(conversation: Conversation, hits: number): void {
    const k = key(conversation.customerId, conversation.threadKey);
    this.byThread.delete(k);
    this.byThread.set(k, { ...conversation, hits });
    if (this.byThread.size > this.capacity) this.byThread.delete(this.byThread.keys().next().value!);
  }

  forget(conversation: Conversation): void {
    this.byThread.delete(key(conversation.customerId, conversation.threadKey));
  }
}

// Customer ids are UUIDs (no NUL), so the pair cannot collide with another pair.
const key = (customerId: string, threadKey: string) => `${customerId}\u0000${threadKey}`;
