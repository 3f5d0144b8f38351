import { describe, expect, it } from 'vitest';
import type { Reply } from '../../bot/types';
import {
  CARD_VERSION,
  CES_COMMENT_INPUT,
  type CardElement,
  decodeSubmit,
  plainText,
  renderForMember,
  renderReply,
  type AdaptiveCard,
  type TeamsMessage,
} from '../../server/channels/teams/render';
import type { ChatMessage } from '../../server/channels/web/protocol';

const options = { conversationId: 'conv-1', articleUrl: (id: string) => `https://support.example.com/help/articles/${id}` };

function cardOf(message: TeamsMessage | undefined): AdaptiveCard {
  if (message?.kind !== 'card') throw new Error(`expected a card, got ${JSON.stringify(message)}`);
  return message.card;
}

function actions(card: AdaptiveCard): CardElement[] {
  return [...(card.actions ?? []), ...card.body.filter((e) => e.type === 'ActionSet').flatMap((e) => e.actions as CardElement[])];
}

function message(author: ChatMessage['author'], content: ChatMessage['content'], authorName?: string): ChatMessage {
  return { id: 'm1', conversationId: 'conv-1', seq: 1, author, content, createdAt: new Date().toISOString(), ...(authorName ? { authorName } : {}) };
}

const article: Reply = {
  type: 'article',
  articleId: 'reset-password',
  title: 'Reset your password',
  summary: 'Use "Forgot password" on the sign-in page.',
  url: '/help/articles/reset-password',
  askFeedback: true,
  intent: 'reset_password',
};

describe('Teams cards', () => {
  it('renders an article as an Adaptive Card with the absolute link and feedback / person submits', () => {
    const rendered = renderReply(article, options);
    const card = cardOf(rendered);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: CARD_VERSION, $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'Reset your password', wrap: true });
    expect(card.body[1]).toMatchObject({ type: 'TextBlock', text: 'Use "Forgot password" on the sign-in page.' });
    expect(actions(card)).toEqual([
      { type: 'Action.OpenUrl', title: 'Read the article', url: 'https://support.example.com/help/articles/reset-password' },
      {
        type: 'Action.Submit',
        title: 'This helped',
        style: 'positive',
        data: { answerdesk: { c: 'conv-1', a: { kind: 'feedback', helpful: true, articleId: 'reset-password', intent: 'reset_password' }, l: 'Yes, this helped' } },
      },
      {
        type: 'Action.Submit',
        title: "Didn't help",
        data: { answerdesk: { c: 'conv-1', a: { kind: 'feedback', helpful: false, articleId: 'reset-password', intent: 'reset_password' }, l: "No, this didn't help" } },
      },
      { type: 'Action.Submit', title: 'Talk to a person', data: { answerdesk: { c: 'conv-1', a: { kind: 'handoff' }, l: 'Talk to a person' } } },
    ]);
    expect(rendered.kind === 'card' && rendered.summary).toBe('Reset your password: https://support.example.com/help/articles/reset-password');
  });

  it('leaves the feedback buttons off when the engine does not ask', () => {
    const card = cardOf(renderReply({ ...article, askFeedback: false }, options));
    expect(actions(card).map((a) => a.type)).toEqual(['Action.OpenUrl']);
  });

  it('renders a clarification as one choice per row', () => {
    const card = cardOf(
      renderReply(
        {
          type: 'choices',
          text: 'Which one do you mean?',
          choices: [
            { label: 'Reset your password', action: { kind: 'choose', candidate: { kind: 'article', id: 'reset-password' } } },
            { label: 'API tokens', action: { kind: 'choose', candidate: { kind: 'article', id: 'api-tokens' } } },
            { label: 'Talk to a person', action: { kind: 'handoff' } },
          ],
        },
        options,
      ),
    );
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'Which one do you mean?' });
    const rows = card.body.filter((e) => e.type === 'ActionSet');
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => (r.actions as CardElement[]).length)).toEqual([1, 1, 1]);
    expect(actions(card)[1]).toMatchObject({ title: 'API tokens', data: { answerdesk: { a: { kind: 'choose', candidate: { kind: 'article', id: 'api-tokens' } }, l: 'API tokens' } } });
  });

  it('renders the seven-point CES card: 1–7 submits in two rows and an optional comment field', () => {
    const card = cardOf(renderReply({ type: 'ces', question: 'How easy was it to get your issue resolved?', scale: 'seven-point' }, options));
    const scores = actions(card);
    expect(scores.map((a) => a.title)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(scores.map((a) => (a.data as { answerdesk: { a: { score: number } } }).answerdesk.a.score)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(card.body.filter((e) => e.type === 'ActionSet').map((r) => (r.actions as CardElement[]).length)).toEqual([4, 3]);
    const input = card.body.find((e) => e.type === 'Input.Text');
    expect(input).toMatchObject({ id: CES_COMMENT_INPUT, isMultiline: true, maxLength: 1000 });
    expect(input).not.toHaveProperty('isRequired');
    expect(JSON.stringify(card.body)).toContain('1 = very difficult, 7 = very easy');
  });

  it('renders the three-choice CES card', () => {
    const card = cardOf(renderReply({ type: 'ces', question: 'How easy?', scale: 'three-choice' }, options));
    expect(actions(card).map((a) => [a.title, (a.data as { answerdesk: { a: { score: number }; l: string } }).answerdesk.a.score])).toEqual([
      ['Easy', 7],
      ['Neutral', 4],
      ['Difficult', 1],
    ]);
  });

  it('renders the CSAT card: 1–5 submits in one row, the scale explained, no comment field', () => {
    const rendered = renderReply({ type: 'csat', question: 'How satisfied are you with the help you received?', scale: 5 }, options);
    const card = cardOf(rendered);
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'How satisfied are you with the help you received?', weight: 'Bolder' });
    expect(JSON.stringify(card.body)).toContain('1 = very dissatisfied, 5 = very satisfied');
    expect(card.body.filter((e) => e.type === 'ActionSet').map((r) => (r.actions as CardElement[]).length)).toEqual([5]);
    expect(actions(card)).toEqual(
      [1, 2, 3, 4, 5].map((n) => ({ type: 'Action.Submit', title: String(n), data: { answerdesk: { c: 'conv-1', a: { kind: 'csat', score: n }, l: `${n} out of 5` } } })),
    );
    expect(card.body.some((e) => e.type === 'Input.Text')).toBe(false);
    expect(rendered.kind === 'card' && rendered.summary).toBe('How satisfied are you with the help you received?');
  });

  it('renders text, agent replies and events as plain messages; hides customer input and notes', () => {
    expect(renderForMember(message('bot', { type: 'text', text: 'Hello' }), options)).toEqual({ kind: 'text', text: 'Hello' });
    expect(renderForMember(message('agent', { type: 'text', text: 'On it' }, 'Alex'), options)).toEqual({ kind: 'text', text: 'Alex: On it' });
    expect(renderForMember(message('system', { type: 'event', event: 'assigned', agentName: 'Alex' }), options)).toEqual({ kind: 'text', text: 'Alex joined the conversation' });
    expect(renderForMember(message('system', { type: 'event', event: 'escalated' }), options)).toEqual({ kind: 'text', text: "You're in the queue. A person will be with you soon." });
    expect(renderForMember(message('agent', { type: 'note', text: 'internal' }, 'Alex'), options)).toBeUndefined();
    expect(renderForMember(message('customer', { type: 'text', text: 'hi' }), options)).toBeUndefined();
    expect(renderForMember(message('customer', { type: 'action', action: { kind: 'handoff' }, label: 'Talk to a person' }), options)).toBeUndefined();
    expect(renderForMember(message('bot', article), options)?.kind).toBe('card');
  });

  it('keeps every card within what Teams renders (Adaptive Cards 1.4, at most 5 buttons per row)', () => {
    const replies: Reply[] = [
      article,
      { type: 'ces', question: 'q', scale: 'seven-point' },
      { type: 'csat', question: 'q', scale: 5 },
      { type: 'choices', text: 't', choices: Array.from({ length: 8 }, (_, i) => ({ label: `Choice ${i}`, action: { kind: 'handoff' } as const })) },
    ];
    for (const reply of replies) {
      const card = cardOf(renderReply(reply, options));
      expect(card.version).toBe('1.4');
      expect((card.actions ?? []).length).toBeLessThanOrEqual(5);
      for (const row of card.body.filter((e) => e.type === 'ActionSet')) expect((row.actions as CardElement[]).length).toBeLessThanOrEqual(5);
    }
  });
});

describe('Teams card submissions', () => {
  const data = (a: unknown, extra: Record<string, unknown> = {}) => ({ answerdesk: { c: 'conv-1', a, l: 'label' }, ...extra });

  it('decodes our submit data, with the CES comment merged in by Teams', () => {
    expect(decodeSubmit(data({ kind: 'handoff' }))).toEqual({ conversationId: 'conv-1', action: { kind: 'handoff' }, label: 'label' });
    expect(decodeSubmit(data({ kind: 'ces', score: 6 }, { [CES_COMMENT_INPUT]: '  Quick  ' }))).toEqual({
      conversationId: 'conv-1',
      action: { kind: 'ces', score: 6, comment: 'Quick' },
      label: 'label',
    });
    expect(decodeSubmit(data({ kind: 'ces', score: 6 }, { [CES_COMMENT_INPUT]: '   ' }))?.action).toEqual({ kind: 'ces', score: 6 });
    expect(decodeSubmit(data({ kind: 'csat', score: 5 }))).toEqual({ conversationId: 'conv-1', action: { kind: 'csat', score: 5 }, label: 'label' });
  });

  it('rejects anything that is not a valid answerdesk action', () => {
    expect(decodeSubmit(undefined)).toBeUndefined();
    expect(decodeSubmit('text')).toBeUndefined();
    expect(decodeSubmit({ other: 1 })).toBeUndefined();
    expect(decodeSubmit(data({ kind: 'delete_everything' }))).toBeUndefined();
    expect(decodeSubmit(data({ kind: 'ces', score: 99 }))).toBeUndefined();
    for (const score of [0, 6, 2.5, 'abc', undefined]) expect(decodeSubmit(data({ kind: 'csat', score })), String(score)).toBeUndefined();
    expect(decodeSubmit({ answerdesk: { c: 5, a: { kind: 'handoff' }, l: 'x' } })).toBeUndefined();
  });
});

describe('Teams message text', () => {
  it('keeps other mentions as names, drops markup and tidies whitespace', () => {
    expect(plainText('  how do I   cancel?  ')).toBe('how do I cancel?');
    expect(plainText('ask <at>Grace Hopper</at> about &quot;billing&quot;&nbsp;please')).toBe('ask Grace Hopper about "billing" please');
    expect(plainText('<p>line one<br/>line two</p>')).toBe('line one line two');
  });
});
