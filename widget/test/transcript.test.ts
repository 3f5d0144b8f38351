import { describe, expect, it } from 'vitest';
import * as T from '../src/panel/transcript';
import { msg } from './fixtures';

const text = (clientId: string, body = 'hi') => ({ type: 'message' as const, clientId, text: body });
const shown = (t: T.Transcript) => t.messages.map((m) => `${m.conversationId}:${m.seq}`);

describe('transcript: dedupe and resume by (conversationId, seq)', () => {
  it('never shows the same message twice and ignores seq at or below the last seen', () => {
    let t = T.emptyTranscript();
    t = T.addMessages(t, [msg(1, 'a'), msg(2, 'b'), msg(2, 'b again'), msg(1, 'a again'), msg(3, 'c')], true);
    expect(shown(t)).toEqual(['c1:1', 'c1:2', 'c1:3']);
    expect(t.lastSeq).toBe(3);
    const replay = T.addMessage(t, msg(3, 'c'), true);
    expect(replay.accepted).toBe(false);
    expect(replay.transcript).toBe(t);
  });

  it('resumes after a reload: a replay from the server only adds what is newer than the saved lastSeq', () => {
    const before = T.addMessages(T.emptyTranscript(), [msg(1, 'a'), msg(2, 'b')], true);
    const reloaded = T.reviveTranscript(JSON.parse(JSON.stringify(before)));
    expect(reloaded.lastSeq).toBe(2);
    const after = T.addMessages(reloaded, [msg(1, 'a'), msg(2, 'b'), msg(3, 'c'), msg(4, 'd')], true);
    expect(shown(after)).toEqual(['c1:1', 'c1:2', 'c1:3', 'c1:4']);
  });

  it('advances past notes (seq gaps the server leaves) without showing them', () => {
    const t = T.addMessages(T.emptyTranscript(), [msg(1, 'a'), msg(2, { type: 'note', text: 'internal' }), msg(4, 'd')], false);
    expect(shown(t)).toEqual(['c1:1', 'c1:4']);
    expect(t.lastSeq).toBe(4);
    expect(t.unread).toBe(2);
  });

  it('follows a new conversation, keeps the old messages and ignores late frames for the old one', () => {
    let t = T.addMessages(T.emptyTranscript(), [msg(1, 'a'), msg(2, 'b')], true);
    t = T.addMessage(t, msg(1, 'new', { conversationId: 'c2' }), true).transcript;
    expect(t.conversationId).toBe('c2');
    expect(t.lastSeq).toBe(1);
    expect(shown(t)).toEqual(['c1:1', 'c1:2', 'c2:1']);
    const late = T.addMessage(t, msg(3, 'late', { conversationId: 'c1' }), true);
    expect(late.accepted).toBe(false);
    expect(T.switchConversation(t, 'c1')).toBe(t);
  });

  it('goes back to a retired conversation only when the server names it, and replays it without doubles', () => {
    let t = T.addMessages(T.emptyTranscript(), [msg(1, 'a'), msg(2, 'b')], true);
    t = T.addMessage(t, msg(1, 'new', { conversationId: 'c2' }), true).transcript;
    // A "Continue in chat" link pinned c1: the server's ready frame names it.
    t = T.switchConversation(t, 'c1', { force: true });
    expect(t.conversationId).toBe('c1');
    expect(t.retired).toEqual(['c2']);
    expect(t.lastSeq).toBe(0);
    t = T.addMessages(t, [msg(1, 'a'), msg(2, 'b')], true);
    expect(shown(t)).toEqual(['c2:1', 'c1:1', 'c1:2']);
  });
});

describe('transcript: optimistic sends', () => {
  it('keeps a message as "sending" until acked and re-sends only unacked ones', () => {
    let t = T.enqueue(T.enqueue(T.emptyTranscript(), text('a')), text('b'));
    expect(T.unacked(t).map((f) => f.clientId)).toEqual(['a', 'b']);
    t = T.ack(t, 'a', 1, 'c1');
    expect(t.outbox.find((o) => o.frame.clientId === 'a')?.status).toBe('sent');
    expect(T.unacked(t).map((f) => f.clientId)).toEqual(['b']);
  });

  it('replaces the optimistic copy with the echo (matched by clientId) exactly once', () => {
    let t = T.enqueue(T.emptyTranscript(), text('a', 'hello'));
    t = T.ack(t, 'a', 1, 'c1');
    t = T.addMessage(t, msg(1, 'hello', { author: 'customer', clientId: 'a' }), true).transcript;
    expect(t.outbox).toEqual([]);
    expect(shown(t)).toEqual(['c1:1']);
  });

  it('handles the echo arriving before the ack, and an echo without clientId via the acked seq', () => {
    let t = T.enqueue(T.enqueue(T.emptyTranscript(), text('a')), text('b'));
    t = T.addMessage(t, msg(1, 'hi', { author: 'customer', clientId: 'a' }), true).transcript;
    t = T.ack(t, 'a', 1, 'c1');
    expect(t.outbox.map((o) => o.frame.clientId)).toEqual(['b']);
    t = T.ack(t, 'b', 2, 'c1');
    t = T.addMessage(t, msg(2, 'hi', { author: 'customer' }), true).transcript;
    expect(t.outbox).toEqual([]);
  });

  it('marks refused messages failed (not re-sent) and retries them with the same clientId', () => {
    let t = T.enqueue(T.emptyTranscript(), text('a'));
    expect(T.fail(t, 'a', 'not_ready', 'send hello first')).toBe(t);
    t = T.fail(t, 'a', 'rate_limited', 'slow down');
    expect(t.outbox[0]).toMatchObject({ status: 'failed', errorCode: 'rate_limited' });
    expect(T.unacked(t)).toEqual([]);
    t = T.retry(t, 'a');
    expect(T.unacked(t)).toEqual([text('a')]);
    expect(t.outbox[0]?.errorCode).toBeUndefined();
  });
});

describe('transcript: unread and first contact', () => {
  it('counts bot and agent messages that arrive while closed, not the visitor’s own', () => {
    let t = T.addMessages(
      T.emptyTranscript(),
      [msg(1, 'bot'), msg(2, 'me', { author: 'customer' }), msg(3, 'agent', { author: 'agent' }), msg(4, { type: 'event', event: 'assigned' }, { author: 'system' })],
      false,
    );
    expect(t.unread).toBe(2);
    t = T.markRead(t);
    expect(t.unread).toBe(0);
    expect(T.addMessage(t, msg(5, 'x'), true).transcript.unread).toBe(0);
  });

  it('knows when the visitor has spoken (suggestions stop then)', () => {
    const t = T.addMessage(T.emptyTranscript(), msg(1, 'welcome'), true).transcript;
    expect(T.visitorHasSpoken(t)).toBe(false);
    expect(T.visitorHasSpoken(T.enqueue(t, text('a')))).toBe(true);
    expect(T.visitorHasSpoken(T.addMessage(t, msg(2, 'q', { author: 'customer' }), true).transcript)).toBe(true);
  });

  it('revives saved state defensively', () => {
    expect(T.reviveTranscript('nonsense')).toEqual(T.emptyTranscript());
    const t = T.reviveTranscript({ conversationId: 'c1', lastSeq: 7, messages: [{ nope: 1 }, msg(7, 'x')], outbox: [{}], unread: -3 });
    expect(t).toMatchObject({ conversationId: 'c1', lastSeq: 7, unread: 0, outbox: [] });
    expect(t.messages).toHaveLength(1);
    // A lastSeq without a conversation id would skip messages on resume: drop it.
    expect(T.reviveTranscript({ lastSeq: 5 }).lastSeq).toBe(0);
  });
});
