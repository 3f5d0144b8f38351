import { describe, expect, it } from 'vitest';
import { effectSince } from '../../server/kb/inbox';
import { readSignals } from '../../server/kb/signals';
import type { EventRow } from '../../server/store/types';
import { groupByWording } from '../../knowledge/grouping';

let id = 0;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 10, minute)).toISOString();
const ev = (conversationId: string, minute: number, type: string, data: Record<string, unknown> = {}): EventRow => ({ id: ++id, type, conversationId, ticketId: null, channel: 'web', agentId: null, data, createdAt: at(minute) });
const article = (id: string) => ({ kind: 'article', id });

describe('Improve-the-bot signals from recorded turns', () => {
  it('reads every kind of miss, and confirmed answers as evidence', () => {
    const { signals } = readSignals([
      ev('c1', 0, 'bot_fallback', { text: 'tell me about trello' }),
      // A clarification answered by a new question: none of the options was picked.
      ev('c2', 0, 'bot_clarified', { text: 'print a project', refs: [article('a'), article('b')] }),
      ev('c2', 1, 'bot_answered', { text: 'reset password', ref: article('reset-password') }),
      ev('c2', 2, 'bot_feedback', { helpful: true, ref: article('reset-password') }),
      // A clarification where the customer picked an option: not a miss.
      ev('c3', 0, 'bot_clarified', { text: 'refund please', refs: [article('refund-policy')] }),
      ev('c3', 1, 'bot_answered', { ref: article('refund-policy') }),
      // Wrong answer, then "didn't help".
      ev('c4', 0, 'bot_answered', { text: 'how do I leave a workspace', ref: article('delete-account') }),
      ev('c4', 1, 'bot_feedback', { helpful: false, ref: article('delete-account') }),
      // Escalation right after an answer, then an agent answers with an article link.
      ev('c5', 0, 'bot_answered', { text: 'invoice has wrong company', ref: article('download-invoices') }),
      ev('c5', 1, 'escalated', { reason: 'customer_asked' }),
      ev('c5', 5, 'agent_reply', { articles: ['vat-and-tax-ids'] }),
    ]);
    const kinds = signals.map((s) => [s.kind, s.text, s.articleId ?? s.answered ?? null]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['fallback', 'tell me about trello', null],
        ['no_choice', 'print a project', null],
        ['helpful', 'reset password', 'reset-password'],
        ['not_helpful', 'how do I leave a workspace', 'delete-account'],
        ['escalated_after_answer', 'invoice has wrong company', 'download-invoices'],
        ['agent_article', 'invoice has wrong company', 'vat-and-tax-ids'],
      ]),
    );
    expect(signals.some((s) => s.text === 'refund please')).toBe(false);
    expect(signals).toHaveLength(6);
  });

  it('groups similar wordings and counts the effect of an action on later questions', () => {
    const groups = groupByWording(['Can I import from Trello?', 'import from trello', 'how to import my trello boards', 'reset my password', 'delete my account'], (t) => t);
    expect(groups.map((g) => g.items)).toEqual([['Can I import from Trello?', 'import from trello', 'how to import my trello boards'], ['reset my password'], ['delete my account']]);
    // The key is the first wording's stems: the same on every call and every instance.
    expect(groups[0]!.key).toBe('import trello');
    const { asks } = readSignals([
      ev('d1', 10, 'bot_answered', { text: 'can I import from trello', ref: article('import-from-trello') }),
      ev('d2', 11, 'bot_fallback', { text: 'import from Trello?' }),
      ev('d3', 12, 'bot_answered', { text: 'reset my password', ref: article('reset-password') }),
      ev('d4', 1, 'bot_answered', { text: 'import from trello', ref: article('x') }),
    ]);
    expect(effectSince({ texts: ['Can I import from Trello?'], createdAt: at(5) }, asks)).toEqual({ asked: 2, answered: 1 });
  });
});
