import { describe, expect, it } from 'vitest';
import type { Action } from '../../bot/types';
import { answeredMessages } from '../src/panel/answered';
import { msg } from './fixtures';

const article = (seq: number, articleId: string) =>
  msg(seq, { type: 'article', articleId, title: articleId, summary: '', url: `/help/${articleId}`, askFeedback: true });
const pressed = (seq: number, action: Action) => msg(seq, { type: 'action', action, label: 'x' }, { author: 'customer' });

describe('answered interactive messages', () => {
  it('disables "Did this help?" only for the article the feedback was about', () => {
    const yes: Action = { kind: 'feedback', helpful: true, articleId: 'b' };
    const answers = answeredMessages([article(1, 'a'), article(2, 'b'), pressed(3, yes)], [], null);
    expect([...answers.keys()]).toEqual(['c1:2']);
    expect(answers.get('c1:2')).toEqual(yes);
  });

  it('counts an optimistic (unsent) press as an answer so buttons disable at once', () => {
    const ces: Action = { kind: 'ces', score: 6 };
    const survey = msg(1, { type: 'ces', question: 'How easy was it?', scale: 'seven-point' });
    const answers = answeredMessages([survey], [{ frame: { type: 'action', clientId: 'x', action: ces, label: '6' }, status: 'sending' }], null);
    expect(answers.get('c1:1')).toEqual(ces);
  });

  it('marks the CES and the CSAT question that follows it answered by their own presses', () => {
    const ces = msg(1, { type: 'ces', question: 'How easy was it?', scale: 'seven-point' });
    const cesAnswer: Action = { kind: 'ces', score: 6 };
    const csat = msg(3, { type: 'csat', question: 'How satisfied are you?', scale: 5 });
    const before = answeredMessages([ces, pressed(2, cesAnswer), csat], [], null);
    expect([...before.keys()]).toEqual(['c1:1']);
    const csatAnswer: Action = { kind: 'csat', score: 5 };
    const after = answeredMessages([ces, pressed(2, cesAnswer), csat, pressed(4, csatAnswer)], [], null);
    expect(after.get('c1:1')).toEqual(cesAnswer);
    expect(after.get('c1:3')).toEqual(csatAnswer);
  });

  it('treats choices as answered by any later customer message, and email requests by a known email', () => {
    const choices = msg(1, { type: 'choices', text: 'Which one?', choices: [{ label: 'Talk to a person', action: { kind: 'handoff' } }] });
    const email = msg(2, { type: 'email_request', text: 'Leave your email' });
    expect(answeredMessages([choices, email], [], null).size).toBe(0);
    const later = answeredMessages([choices, email, msg(3, 'typed', { author: 'customer' })], [], { id: 'c1', channel: 'web', state: 'queued', email: 'a@b.co' });
    expect([...later.keys()].sort()).toEqual(['c1:1', 'c1:2']);
  });
});
