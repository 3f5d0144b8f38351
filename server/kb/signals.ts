import type { EventRow } from '../store/types';

/** Why a question is in the "Improve the bot" inbox. */
export type SignalKind = 'fallback' | 'not_helpful' | 'no_choice' | 'escalated_after_answer' | 'agent_article' | 'helpful';

export const MISS_KINDS: ReadonlySet<SignalKind> = new Set(['fallback', 'not_helpful', 'no_choice', 'escalated_after_answer', 'agent_article']);

export interface Signal {
  kind: SignalKind;
  text: string;
  conversationId: string;
  at: string;
  /** What the bot answered (not_helpful, escalated_after_answer, helpful). */
  answered?: string;
  /** The article that does answer it (agent_article: the one the agent linked; helpful: the one that helped). */
  articleId?: string;
}

/** Every question the bot saw, and whether it ended answered (for "asked 14 times since; answered 13"). */
export interface Ask {
  text: string;
  conversationId: string;
  at: string;
  answered: boolean;
}

/** The event types the inbox reads. */
export const SIGNAL_EVENT_TYPES = ['bot_answered', 'bot_clarified', 'bot_fallback', 'bot_feedback', 'escalated', 'agent_reply'];

type Ref = { kind?: string; id?: string } | undefined;
const articleOf = (ref: Ref) => (ref?.kind === 'article' && typeof ref.id === 'string' ? ref.id : undefined);

/**
 * Reads the bot's recorded turns conversation by conversation (events in order) and says which
 * questions it missed: a fallback; an answer marked "didn't help"; a clarification where the
 * customer picked none of the options (they asked something else, asked for a person, or left);
 * a hand-over asked for right after an answer; a question an agent answered with an article
 * link; and, as evidence that a phrasing is right, answers confirmed helpful.
 */
export function readSignals(events: readonly EventRow[]): { signals: Signal[]; asks: Ask[] } {
  const byConversation = new Map<string, EventRow[]>();
  for (const e of events) {
    if (!e.conversationId) continue;
    const list = byConversation.get(e.conversationId) ?? [];
    list.push(e);
    byConversation.set(e.conversationId, list);
  }
  const signals: Signal[] = [];
  const asks: Ask[] = [];
  for (const [conversationId, list] of byConversation) {
    let lastQuestion: string | undefined;
    let lastAnswer: { text: string; ref?: string; ask: Ask } | undefined;
    let clarify: { text: string; at: string; ask: Ask } | undefined;
    const noChoice = (at: string) => {
      if (!clarify) return;
      signals.push({ kind: 'no_choice', text: clarify.text, conversationId, at: clarify.at });
      clarify = undefined;
    };
    for (const e of list) {
      const text = typeof e.data.text === 'string' ? e.data.text.slice(0, 500) : undefined;
      switch (e.type) {
        case 'bot_fallback':
          noChoice(e.createdAt);
          lastAnswer = undefined;
          if (text) {
            lastQuestion = text;
            asks.push({ text, conversationId, at: e.createdAt, answered: false });
            signals.push({ kind: 'fallback', text, conversationId, at: e.createdAt });
          }
          break;
        case 'bot_clarified':
          noChoice(e.createdAt);
          lastAnswer = undefined;
          if (text) {
            lastQuestion = text;
            const ask: Ask = { text, conversationId, at: e.createdAt, answered: false };
            asks.push(ask);
            clarify = { text, at: e.createdAt, ask };
          }
          break;
        case 'bot_answered': {
          const ref = articleOf(e.data.ref as Ref);
          if (text) {
            noChoice(e.createdAt);
            lastQuestion = text;
            const ask: Ask = { text, conversationId, at: e.createdAt, answered: true };
            asks.push(ask);
            lastAnswer = { text, ask, ...(ref ? { ref } : {}) };
          } else if (clarify) {
            // The customer picked an option: the clarification's question is answered by it.
            clarify.ask.answered = true;
            lastAnswer = { text: clarify.text, ask: clarify.ask, ...(ref ? { ref } : {}) };
            clarify = undefined;
          }
          break;
        }
        case 'bot_feedback': {
          if (!lastAnswer) break;
          const ref = articleOf(e.data.ref as Ref) ?? lastAnswer.ref;
          if (e.data.helpful === true) {
            signals.push({ kind: 'helpful', text: lastAnswer.text, conversationId, at: e.createdAt, ...(ref ? { articleId: ref, answered: ref } : {}) });
          } else {
            lastAnswer.ask.answered = false;
            signals.push({ kind: 'not_helpful', text: lastAnswer.text, conversationId, at: e.createdAt, ...(ref ? { answered: ref } : {}) });
          }
          lastAnswer = undefined;
          break;
        }
        case 'escalated':
          noChoice(e.createdAt);
          if (lastAnswer) {
            lastAnswer.ask.answered = false;
            signals.push({ kind: 'escalated_after_answer', text: lastAnswer.text, conversationId, at: e.createdAt, ...(lastAnswer.ref ? { answered: lastAnswer.ref } : {}) });
          }
          lastAnswer = undefined;
          break;
        case 'agent_reply': {
          const articles = Array.isArray(e.data.articles) ? (e.data.articles as unknown[]).filter((a): a is string => typeof a === 'string') : [];
          if (lastQuestion && articles[0]) {
            signals.push({ kind: 'agent_article', text: lastQuestion, conversationId, at: e.createdAt, articleId: articles[0] });
            lastQuestion = undefined;
          }
          break;
        }
      }
    }
    // A clarification nobody answered by the end of the conversation so far: none was picked.
    if (clarify && Date.now() - Date.parse(clarify.at) > 10 * 60_000) noChoice(clarify.at);
  }
  return { signals, asks };
}
