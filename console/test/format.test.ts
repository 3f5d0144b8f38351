import { describe, expect, it } from 'vitest';
import { ticketListPath } from '../src/api';
import { parseEvent } from '../src/events';
import { capitalize, csatDetail, formatDuration, formatPercent, formatTime, isoDate, lastNDays, mergeTags, metricsQuery, safeHref, slugify } from '../src/format';
import { actionDetail, attemptLabel, eventLabel, formatConfidence, reasonLabel } from '../src/messages';
import { newTicketIds, titleWithBadge } from '../src/notify';

describe('csatDetail', () => {
  const none = { count: 0, average: null, satisfiedRate: null };
  it('gives the share satisfied and the bot-only / with-a-person split', () => {
    const botOnly = { count: 2, average: 4.5, satisfiedRate: 1 };
    const withPerson = { count: 1, average: 2, satisfiedRate: 0 };
    expect(csatDetail({ count: 3, average: 11 / 3, satisfiedRate: 2 / 3, botOnly, withPerson })).toBe(
      '67% satisfied (4–5) · bot only 4.5 (100%) · with a person 2.0 (0%) · 3 answers',
    );
  });
  it('says when there are no answers yet', () => {
    expect(csatDetail({ ...none, botOnly: none, withPerson: none })).toBe('no answers yet · bot only — · with a person — · 0 answers');
  });
});

describe('formatDuration', () => {
  it('picks a readable unit', () => {
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(7 * 60_000)).toBe('7m');
    expect(formatDuration(80 * 60_000)).toBe('1h 20m');
    expect(formatDuration(2 * 3600_000)).toBe('2h');
    expect(formatDuration(52 * 3600_000)).toBe('2d 4h');
  });
  it('shows a dash when there is no data', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('formatPercent', () => {
  it('formats fractions and null', () => {
    expect(formatPercent(0.634)).toBe('63%');
    expect(formatPercent(0.634, 1)).toBe('63.4%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(null)).toBe('—');
  });
});

describe('date ranges', () => {
  it('defaults to the last 7 days including today, in local time', () => {
    expect(lastNDays(7, new Date(2025, 2, 3, 23, 30))).toEqual({ from: '2025-02-25', to: '2025-03-03' });
    expect(lastNDays(1, new Date(2025, 0, 1, 0, 5))).toEqual({ from: '2025-01-01', to: '2025-01-01' });
  });
  it('formats dates as YYYY-MM-DD', () => {
    expect(isoDate(new Date(2025, 8, 9))).toBe('2025-09-09');
  });
  it('builds metrics queries, leaving out "all channels"', () => {
    expect(metricsQuery({ from: '2025-01-01', to: '2025-01-07' }, '')).toBe('from=2025-01-01&to=2025-01-07');
    expect(metricsQuery({ from: '2025-01-01', to: '2025-01-07' }, 'slack')).toBe('from=2025-01-01&to=2025-01-07&channel=slack');
  });
  it('shows the time alone for today', () => {
    const now = new Date(2025, 2, 3, 15, 0);
    expect(formatTime(new Date(2025, 2, 3, 9, 5).toISOString(), now)).toBe('09:05');
    expect(formatTime(new Date(2025, 2, 1, 9, 5).toISOString(), now)).toBe('Mar 1, 09:05');
    expect(formatTime('garbage', now)).toBe('');
  });
});

describe('safeHref', () => {
  it('allows http(s) and site-relative links only', () => {
    expect(safeHref('/help/articles/reset')).toBe('/help/articles/reset');
    expect(safeHref('https://example.com/a')).toBe('https://example.com/a');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('JaVaScRiPt:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,hi')).toBeUndefined();
    expect(safeHref('//evil.example/x')).toBeUndefined();
    expect(safeHref('')).toBeUndefined();
    expect(safeHref(null)).toBeUndefined();
  });
});

describe('slugify', () => {
  it('makes a file-name-safe slug', () => {
    expect(slugify('How do I reset my password?')).toBe('how-do-i-reset-my-password');
    expect(slugify('Café & crème brûlée')).toBe('cafe-creme-brulee');
    expect(slugify('???')).toBe('article');
    expect(slugify('a'.repeat(100)).length).toBe(60);
  });
});

describe('mergeTags', () => {
  it('splits on commas, trims, de-duplicates case-insensitively', () => {
    expect(mergeTags(['billing'], ' refund ,Billing,, vip  customer ')).toEqual(['billing', 'refund', 'vip customer']);
  });
  it('caps length and count', () => {
    expect(mergeTags([], 'x'.repeat(50))).toEqual(['x'.repeat(40)]);
    expect(mergeTags([], Array.from({ length: 30 }, (_, i) => `t${i}`).join(','))).toHaveLength(20);
  });
});

describe('capitalize', () => {
  it('uppercases the first letter of server messages', () => {
    expect(capitalize('already claimed by Alex')).toBe('Already claimed by Alex');
    expect(capitalize('')).toBe('');
  });
});

describe('ticketListPath', () => {
  it('only sends the filters that are set', () => {
    expect(ticketListPath({ status: 'open,assigned', channel: '', assignee: 'me', priority: '' })).toBe('/api/tickets?status=open%2Cassigned&assignee=me');
    expect(ticketListPath({ status: '', channel: '', assignee: '', priority: '' })).toBe('/api/tickets');
  });
});

describe('parseEvent', () => {
  it('parses the documented events', () => {
    expect(parseEvent('ticket', '{"ticketId":"t1","conversationId":"c1"}')).toEqual({ type: 'ticket', ticketId: 't1', conversationId: 'c1' });
    expect(parseEvent('message', '{"conversationId":"c1","seq":4}')).toEqual({ type: 'message', conversationId: 'c1', seq: 4 });
    expect(parseEvent('typing', '{"conversationId":"c1","author":"customer"}')).toEqual({ type: 'typing', conversationId: 'c1', author: 'customer' });
    expect(parseEvent('presence', '{}')).toEqual({ type: 'presence' });
  });
  it('drops malformed or unknown events', () => {
    expect(parseEvent('ticket', 'not json')).toBeUndefined();
    expect(parseEvent('ticket', '{"conversationId":"c1"}')).toBeUndefined();
    expect(parseEvent('message', 'null')).toBeUndefined();
    expect(parseEvent('mystery', '{}')).toBeUndefined();
  });
});

describe('new-ticket notices', () => {
  it('finds tickets not seen before', () => {
    expect(newTicketIds(new Set(['a', 'b']), [{ id: 'c' }, { id: 'a' }, { id: 'd' }])).toEqual(['c', 'd']);
    expect(newTicketIds(new Set(), [])).toEqual([]);
  });
  it('badges the title', () => {
    expect(titleWithBadge(0)).toBe('answerdesk');
    expect(titleWithBadge(2)).toBe('(2) answerdesk');
    expect(titleWithBadge(150)).toBe('(99+) answerdesk');
  });
});

describe('transcript labels', () => {
  it('describes system events', () => {
    expect(eventLabel({ type: 'event', event: 'assigned', agentName: 'Alex' })).toBe('Assigned to Alex');
    expect(eventLabel({ type: 'event', event: 'escalated' })).toBe('Escalated to the support team');
    expect(eventLabel({ type: 'event', event: 'resolved' })).toBe('Resolved');
  });
  it('describes button presses', () => {
    expect(actionDetail({ kind: 'feedback', helpful: false })).toBe('Marked the answer not helpful');
    expect(actionDetail({ kind: 'ces', score: 6 })).toBe('Rated effort 6/7');
    expect(actionDetail({ kind: 'csat', score: 5 })).toBe('Rated satisfaction 5/5');
    expect(actionDetail({ kind: 'handoff' })).toBe('Asked for a person');
  });
  it('describes bot attempts and escalation reasons', () => {
    expect(attemptLabel({ at: '', action: 'fallback', refs: [] })).toBe('Did not understand');
    expect(attemptLabel({ at: '', action: 'something_new', refs: [] })).toBe('something new');
    expect(formatConfidence(0.426)).toBe('43%');
    expect(formatConfidence(undefined)).toBe('—');
    expect(reasonLabel('low_confidence')).toBe('The bot was not confident enough to answer');
    expect(reasonLabel('custom_reason')).toBe('custom reason');
  });
});
