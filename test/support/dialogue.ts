import { expect } from 'vitest';
import { type BotState, type ConversationEngine, INITIAL_STATE, type Turn } from '../../bot/engine';
import type { Action, BotEvent, Reply } from '../../bot/types';

/**
 * Conversation tests that read as dialogue:
 *   const chat = dialogue(engine);
 *   chat.customer('I forgot my password').answersWithArticle('reset-password');
 *   chat.presses({ kind: 'feedback', helpful: false }).offersPerson();
 */
export function dialogue(engine: ConversationEngine) {
  let state: BotState = INITIAL_STATE;

  const expectations = (turn: Turn) => {
    const replyOf = <T extends Reply['type']>(type: T) => turn.replies.find((r): r is Extract<Reply, { type: T }> => r.type === type);
    const eventOf = <T extends BotEvent['type']>(type: T) => turn.events.find((e): e is Extract<BotEvent, { type: T }> => e.type === type);
    const self = {
      turn,
      answersWithArticle(articleId: string) {
        expect(replyOf('article')?.articleId, `bot replies: ${JSON.stringify(turn.replies)}`).toBe(articleId);
        expect(replyOf('article')?.askFeedback).toBe(true);
        return self;
      },
      says(pattern: RegExp) {
        expect(turn.replies.some((r) => 'text' in r && pattern.test(r.text)), JSON.stringify(turn.replies)).toBe(true);
        return self;
      },
      clarifies(articleIds?: string[]) {
        const choices = replyOf('choices');
        expect(eventOf('clarified'), JSON.stringify(turn.replies)).toBeDefined();
        if (articleIds) {
          const offered = choices?.choices.flatMap((c) => (c.action.kind === 'choose' ? [c.action.candidate.id] : []));
          for (const id of articleIds) expect(offered).toContain(id);
        }
        return self;
      },
      fallsBack() {
        expect(eventOf('fallback'), JSON.stringify(turn.events)).toBeDefined();
        expect(replyOf('article')).toBeUndefined();
        return self;
      },
      offersPerson() {
        expect(eventOf('escalation_offered'), JSON.stringify(turn.events)).toBeDefined();
        expect(replyOf('choices')?.choices.some((c) => c.action.kind === 'handoff')).toBe(true);
        return self;
      },
      escalates(reason?: string) {
        const e = eventOf('escalate');
        expect(e, JSON.stringify(turn.events)).toBeDefined();
        if (reason) expect(e?.reason).toBe(reason);
        return self;
      },
      isResolvedByBot() {
        expect(eventOf('resolved_by_bot')).toBeDefined();
        return self;
      },
      asksCes() {
        expect(replyOf('ces')?.question).toMatch(/How easy was it/);
        return self;
      },
      asksCsat() {
        expect(replyOf('csat'), JSON.stringify(turn.replies)).toEqual({ type: 'csat', question: 'How satisfied are you with the help you received?', scale: 5 });
        return self;
      },
      doesNotAskCsat() {
        expect(replyOf('csat'), JSON.stringify(turn.replies)).toBeUndefined();
        return self;
      },
      /** Nothing said, nothing recorded: the input was ignored. */
      ignores() {
        expect(turn.replies, JSON.stringify(turn.replies)).toEqual([]);
        expect(turn.events, JSON.stringify(turn.events)).toEqual([]);
        return self;
      },
      doesNotAnswer() {
        expect(replyOf('article')).toBeUndefined();
        return self;
      },
      /** One article card per id, in order, each with its own "Did this help?". */
      answersWithArticles(articleIds: string[]) {
        const cards = turn.replies.filter((r): r is Extract<Reply, { type: 'article' }> => r.type === 'article');
        expect(cards.map((c) => c.articleId), JSON.stringify(turn.replies)).toEqual(articleIds);
        for (const c of cards) expect(c.askFeedback).toBe(true);
        return self;
      },
      /** Says it has no answer: no card, no topic offered, only a person. */
      saysItDoesNotKnow() {
        expect(replyOf('article'), JSON.stringify(turn.replies)).toBeUndefined();
        expect(eventOf('clarified'), JSON.stringify(turn.events)).toBeUndefined();
        const choices = replyOf('choices')?.choices ?? [];
        expect(choices.every((c) => c.action.kind === 'handoff'), JSON.stringify(choices)).toBe(true);
        return self;
      },
      /** Every button label the customer sees. */
      labels(): string[] {
        return turn.replies.flatMap((r) => (r.type === 'choices' ? r.choices.map((c) => c.label) : []));
      },
    };
    return self;
  };

  return {
    get state() {
      return state;
    },
    customer(text: string) {
      const turn = engine.handle({ channel: 'web', conversationId: 'c-test', text }, state);
      state = turn.state;
      return expectations(turn);
    },
    presses(action: Action) {
      const turn = engine.handle({ channel: 'web', conversationId: 'c-test', action }, state);
      state = turn.state;
      return expectations(turn);
    },
  };
}
