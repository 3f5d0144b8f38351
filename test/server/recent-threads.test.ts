import { describe, expect, it } from 'vitest';
import { RecentThreads } from '../../server/conversations/recent';
import type { Conversation } from '../../server/store/types';

const conversation = (customerId: string, threadKey: string, lastSeq: number) =>
  ({ id: `${customerId}/${threadKey}`, customerId, threadKey, lastSeq, state: 'bot', assigneeId: null, updatedAt: '2026-11-25T00:00:00.000Z' }) as unknown as Conversation;

describe('RecentThreads', () => {
  it('keeps the latest version per customer and thread, forgets on request, and drops the thread answered longest ago', () => {
    const recent = new RecentThreads(2);
    recent.remember(conversation('c1', 'web', 2), 1);
    recent.remember(conversation('c1', 'slack:T1', 4), 2);
    expect(recent.get('c1', 'web')).toMatchObject({ lastSeq: 2, hits: 1 });
    // A newer write of the same thread replaces it and makes it the most recent.
    recent.remember(conversation('c1', 'web', 6), 3);
    recent.remember(conversation('c2', 'web', 2), 1);
    expect(recent.get('c1', 'slack:T1')).toBeUndefined();
    expect(recent.get('c1', 'web')).toMatchObject({ lastSeq: 6, hits: 3 });
    expect(recent.get('c2', 'web')).toMatchObject({ lastSeq: 2 });
    recent.forget(conversation('c2', 'web', 2));
    expect(recent.get('c2', 'web')).toBeUndefined();
    // Keys cannot run into each other: ("a", "b c") is not ("a b", "c").
    recent.remember(conversation('a', 'b c', 1), 1);
    expect(recent.get('a b', 'c')).toBeUndefined();
  });
});
