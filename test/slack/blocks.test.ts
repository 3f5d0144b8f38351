import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../server/channels/web/protocol';
import {
  CLAIM_ACTION_ID,
  decodeButtonValue,
  escapeMrkdwn,
  renderAnswered,
  renderForMember,
  renderNotice,
  renderReply,
  type Block,
} from '../../server/channels/slack/render';
import { isFromPerson, stripMention } from '../../server/channels/slack/inbound';

const options = { conversationId: 'conv-1', articleUrl: (id: string) => `https://support.example.com/help/articles/${id}` };

type ButtonEl = { action_id: string; text: { text: string }; value: string };
const buttonsOf = (blocks: Block[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => (b as unknown as { elements: ButtonEl[] }).elements);

describe('Block Kit rendering', () => {
  it('draws an article as a linked title, summary and feedback/person buttons carrying the Action', () => {
    const out = renderReply(
      { type: 'article', articleId: 'reset-password', title: 'Reset your <password>', summary: 'Use the link & wait.', url: '/help/articles/reset-password', askFeedback: true },
      options,
    );
    const section = out.blocks[0] as { text: { text: string } };
    expect(section.text.text).toBe('*<https://support.example.com/help/articles/reset-password|Reset your &lt;password&gt;>*\nUse the link &amp; wait.');
    const buttons = buttonsOf(out.blocks);
    expect(buttons.map((b) => b.text.text)).toEqual(['This helped', "Didn't help", 'Talk to a person']);
    expect(new Set(buttons.map((b) => b.action_id)).size).toBe(3);
    expect(decodeButtonValue(buttons[0]!.value)).toEqual({ c: 'conv-1', a: { kind: 'feedback', helpful: true, articleId: 'reset-password' }, l: 'Yes, this helped' });
    expect(decodeButtonValue(buttons[2]!.value)).toEqual({ c: 'conv-1', a: { kind: 'handoff' }, l: 'Talk to a person' });
    expect(out.text).toContain('https://support.example.com/help/articles/reset-password');
  });

  it('draws choices as buttons and CES as 1..7 or three choices', () => {
    const choices = renderReply(
      { type: 'choices', text: 'Which one?', choices: [{ label: 'Billing', action: { kind: 'choose', candidate: { kind: 'article', id: 'billing' } } }, { label: 'Talk to a person', action: { kind: 'handoff' } }] },
      options,
    );
    expect(buttonsOf(choices.blocks).map((b) => decodeButtonValue(b.value)?.a)).toEqual([{ kind: 'choose', candidate: { kind: 'article', id: 'billing' } }, { kind: 'handoff' }]);

    const seven = renderReply({ type: 'ces', question: 'How easy?', scale: 'seven-point' }, options);
    expect(buttonsOf(seven.blocks).map((b) => decodeButtonValue(b.value))).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((n) => ({ c: 'conv-1', a: { kind: 'ces', score: n }, l: `${n} out of 7` })),
    );
    const three = renderReply({ type: 'ces', question: 'How easy?', scale: 'three-choice' }, options);
    expect(buttonsOf(three.blocks).map((b) => [b.text.text, decodeButtonValue(b.value)?.a])).toEqual([
      ['Easy', { kind: 'ces', score: 7 }],
      ['Neutral', { kind: 'ces', score: 4 }],
      ['Difficult', { kind: 'ces', score: 1 }],
    ]);
  });

  it('draws CSAT as buttons 1..5 with the scale explained', () => {
    const csat = renderReply({ type: 'csat', question: 'How satisfied are you with the help you received?', scale: 5 }, options);
    expect(csat.text).toBe('How satisfied are you with the help you received?');
    const buttons = buttonsOf(csat.blocks);
    expect(buttons.map((b) => b.text.text)).toEqual(['1', '2', '3', '4', '5']);
    expect(buttons.map((b) => decodeButtonValue(b.value))).toEqual([1, 2, 3, 4, 5].map((n) => ({ c: 'conv-1', a: { kind: 'csat', score: n }, l: `${n} out of 5` })));
    expect(new Set(buttons.map((b) => b.action_id)).size).toBe(5);
    expect(JSON.stringify(csat.blocks)).toContain('1 = very dissatisfied, 5 = very satisfied');
    const base = { id: 'm', conversationId: 'conv-1', seq: 1, createdAt: new Date().toISOString() };
    expect(buttonsOf(renderForMember({ ...base, author: 'bot', content: { type: 'csat', question: 'q', scale: 5 } }, options)!.blocks)).toHaveLength(5);
  });

  it('decodes only valid actions from button values (a CSAT of 0, 6 or "abc" is not one)', () => {
    const value = (a: unknown) => JSON.stringify({ c: 'conv-1', a, l: 'x' });
    expect(decodeButtonValue(value({ kind: 'csat', score: 4 }))?.a).toEqual({ kind: 'csat', score: 4 });
    for (const score of [0, 6, 2.5, 'abc', undefined]) expect(decodeButtonValue(value({ kind: 'csat', score })), String(score)).toBeUndefined();
    expect(decodeButtonValue(value({ kind: 'delete_everything' }))).toBeUndefined();
    expect(decodeButtonValue(value({ kind: 'ces', score: 99 }))).toBeUndefined();
  });

  it('renders agent text, system events, and leaves customer messages and notes out', () => {
    const base = { id: 'm', conversationId: 'conv-1', seq: 1, createdAt: new Date().toISOString() };
    const agent = renderForMember({ ...base, author: 'agent', authorName: 'Alex', content: { type: 'text', text: 'Hi <there>' } } as ChatMessage, options);
    expect(agent?.text).toBe('Alex: Hi <there>');
    expect(JSON.stringify(agent?.blocks)).toContain('*Alex*\\nHi &lt;there&gt;');
    expect(renderForMember({ ...base, author: 'system', content: { type: 'event', event: 'assigned', agentName: 'Alex' } }, options)?.text).toBe('Alex joined the conversation');
    expect(renderForMember({ ...base, author: 'agent', content: { type: 'note', text: 'internal' } }, options)).toBeUndefined();
    expect(renderForMember({ ...base, author: 'customer', content: { type: 'text', text: 'hello' } }, options)).toBeUndefined();
  });

  it('draws the agents notice with a Claim button until someone has it', () => {
    const ticket = { id: 't-1', subject: 'Refund please', reason: 'customer_asked' };
    const open = renderNotice({ ticket, customerUser: 'U1', consoleUrl: 'https://support.example.com/console' });
    const text = JSON.stringify(open.blocks);
    expect(text).toContain('<@U1>');
    expect(text).toContain('Refund please');
    expect(text).toContain('https://support.example.com/console');
    expect(buttonsOf(open.blocks)).toEqual([expect.objectContaining({ action_id: CLAIM_ACTION_ID, value: 't-1' })]);
    const claimed = renderNotice({ ticket, customerUser: 'U1', consoleUrl: 'x', status: 'Claimed by Alex' });
    expect(buttonsOf(claimed.blocks)).toEqual([]);
    expect(JSON.stringify(claimed.blocks)).toContain('Claimed by Alex');
  });

  it('replaces the buttons of a pressed message with the choice', () => {
    const out = renderReply({ type: 'choices', text: 'Which?', choices: [{ label: 'A', action: { kind: 'handoff' } }] }, options);
    const after = renderAnswered(out.blocks, 'A & B');
    expect(buttonsOf(after)).toEqual([]);
    expect(JSON.stringify(after)).toContain('You chose: *A &amp; B*');
  });

  it('escapes mrkdwn, strips the bot mention and tells people from bots', () => {
    expect(escapeMrkdwn('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(stripMention('<@UBOT> how do I  reset <@UOTHER>?', 'UBOT')).toBe('how do I reset <@UOTHER>?');
    expect(stripMention('<@UBOT|answerdesk> hi', 'UBOT')).toBe('hi');
    const msg = { type: 'message', ts: '1.1', channel: 'C' };
    expect(isFromPerson({ ...msg, user: 'U1' }, 'UBOT')).toBe(true);
    expect(isFromPerson({ ...msg, user: 'U1', subtype: 'file_share' }, 'UBOT')).toBe(true);
    expect(isFromPerson({ ...msg, user: 'U1', bot_id: 'B1' }, 'UBOT')).toBe(false);
    expect(isFromPerson({ ...msg, user: 'UBOT' }, 'UBOT')).toBe(false);
    expect(isFromPerson({ ...msg, user: 'U1', subtype: 'message_changed' }, 'UBOT')).toBe(false);
    expect(decodeButtonValue('not json')).toBeUndefined();
    expect(decodeButtonValue(JSON.stringify({ c: 'x', l: 'y' }))).toBeUndefined();
  });
});
