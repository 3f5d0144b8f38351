import type { SeedConversation, SeedCustomer, SeedEvent } from '../support/history';

/**
 * A hand-made week (2026-03-02 … 03-08) plus one conversation the week before and one the day
 * after, with known outcomes. The expected values in ground-truth.test.ts were worked out by
 * hand from this table, not by running the code:
 *
 * | id  | day   | channel | customer (plan)   | what happens                                          | outcome   | FCR                                   |
 * | c1  | 03-02 | web     | A (Business)      | answered reset-password, "yes" · CES 7 CSAT 5 NPS 10   | confirmed | no: c5 is A again in Slack (switch)   |
 * | c2  | 03-02 | web     | B (Free)          | answered refund-policy, left                          | assumed   | no: c6 same topic, 3 days later       |
 * | c3  | 03-03 | msteams | C (Business, 20)  | fallback (fr), person, agent1 resolves · CES 5 CSAT 3 NPS 6 | escalated | yes                         |
 * | c4  | 03-03 | web     | D (Free)          | fallback, left                                        | abandoned | –                                     |
 * | c5  | 03-04 | slack   | A (same email)    | answered reset-password, "yes" · CES 6 NPS 9           | confirmed | yes                                   |
 * | c6  | 03-05 | web     | B (Free)          | answered refund-policy, "yes" · CES 4                  | confirmed | no: c12 same topic on 03-09           |
 * | c7  | 03-05 | web     | E                 | person, agent2 resolves, reopens, resolves · CES 2 CSAT 4 NPS 8 | escalated | no: reopened           |
 * | c8  | 03-08 | msteams | H (Enterprise)    | answered intent billing_question, still active        | open      | –                                     |
 * | c9  | 03-07 | web     | F                 | person asked, nobody answered (SLA breached)          | escalated | – (not resolved)                      |
 * | c11 | 03-06 | web     | G                 | fallback (de), then answered export-data, left        | assumed   | yes                                   |
 * | c10 | 02-25 | web     | A (Business)      | answered reset-password, "yes"                        | confirmed | no: c1 same topic 5 days later; c5 (Slack) 6 d 22 h later |
 * | c12 | 03-09 | web     | B (Free)          | answered refund-policy, "yes"                         | confirmed | (after the range)                     |
 *
 * c2, c4 and c11 are left with the bot: the idle-close job closes them (c8 is not idle yet).
 */
export const IDLE_CUTOFF = '2026-03-08T12:00:00.000Z';

export const customers: SeedCustomer[] = [
  { id: 'A', channel: 'web', email: 'ada@example.com', attributes: { plan: 'Business' } },
  { id: 'A2', channel: 'slack', email: 'Ada@Example.com' },
  { id: 'B', channel: 'web', email: 'bo@example.com', attributes: { plan: 'Free' } },
  { id: 'C', channel: 'msteams', attributes: { plan: 'Business', seats: 20, trial: false } },
  { id: 'D', channel: 'web', attributes: { plan: 'Free' } },
  { id: 'E', channel: 'web' },
  { id: 'F', channel: 'web' },
  { id: 'G', channel: 'web' },
  { id: 'H', channel: 'msteams', attributes: { plan: 'Enterprise' } },
];

const at = (day: string, time: string) => `2026-${day}T${time}:00.000Z`;
const started = (t: string): SeedEvent => ({ type: 'conversation_started', at: t });
const asked = (t: string): SeedEvent => ({ type: 'customer_message', at: t });
const answered = (t: string, kind: 'article' | 'intent', id: string): SeedEvent => ({ type: 'bot_answered', at: t, data: { ref: { kind, id }, confidence: 0.8, text: 'q' } });
const helped = (t: string, id: string): SeedEvent[] => [
  { type: 'bot_feedback', at: t, data: { helpful: true, ref: { kind: 'article', id } } },
  { type: 'resolved', at: t, data: { by: 'bot', ref: { kind: 'article', id } } },
];
const fallback = (t: string, text: string, language?: string): SeedEvent => ({ type: 'bot_fallback', at: t, data: { text, confidence: 0.05, ...(language ? { language } : {}) } });
const handOver = (t: string, language?: string): SeedEvent[] => [
  { type: 'escalation_offered', at: t, data: { reason: 'customer_request', ...(language ? { language } : {}) } },
  { type: 'escalated', at: t, data: { reason: 'customer_request' } },
];
const agent = (type: string, t: string, agentId: string, data?: Record<string, unknown>): SeedEvent => ({ type, at: t, agentId, ...(data ? { data } : {}) });

export const AGENT1 = 'agent-1';
export const AGENT2 = 'agent-2';

export const conversations: SeedConversation[] = [
  {
    id: 'c10', customer: 'A', channel: 'web', state: 'resolved', startedAt: at('02-25', '10:00'), updatedAt: at('02-25', '10:02'),
    events: [started(at('02-25', '10:00')), asked(at('02-25', '10:00')), answered(at('02-25', '10:00'), 'article', 'reset-password'), ...helped(at('02-25', '10:02'), 'reset-password')],
  },
  {
    id: 'c1', customer: 'A', channel: 'web', state: 'resolved', startedAt: at('03-02', '10:00'), updatedAt: at('03-02', '10:03'),
    events: [started(at('03-02', '10:00')), asked(at('03-02', '10:00')), answered(at('03-02', '10:00'), 'article', 'reset-password'), ...helped(at('03-02', '10:03'), 'reset-password')],
    ces: { score: 7, humanInvolved: false, csat: 5 }, nps: 10,
  },
  {
    id: 'c2', customer: 'B', channel: 'web', state: 'bot', startedAt: at('03-02', '11:00'), updatedAt: at('03-02', '11:00'),
    events: [started(at('03-02', '11:00')), asked(at('03-02', '11:00')), answered(at('03-02', '11:00'), 'article', 'refund-policy')],
  },
  {
    id: 'c3', customer: 'C', channel: 'msteams', state: 'resolved', startedAt: at('03-03', '09:00'), updatedAt: at('03-03', '10:01'),
    events: [
      started(at('03-03', '09:00')), asked(at('03-03', '09:00')), fallback(at('03-03', '09:00'), 'Je ne trouve pas ma facture', 'fr'), ...handOver(at('03-03', '09:01'), 'fr'),
      agent('assigned', at('03-03', '09:05'), AGENT1, { by: AGENT1 }), agent('first_response', at('03-03', '09:11'), AGENT1), agent('agent_reply', at('03-03', '09:11'), AGENT1),
      agent('resolved', at('03-03', '10:01'), AGENT1, { by: 'agent' }),
    ],
    ticket: { id: 't3', createdAt: at('03-03', '09:01'), dueAt: at('03-03', '10:01'), firstResponseAt: at('03-03', '09:11'), resolvedAt: at('03-03', '10:01'), assigneeId: AGENT1 },
    ces: { score: 5, humanInvolved: true, csat: 3 }, nps: 6,
  },
  {
    id: 'c4', customer: 'D', channel: 'web', state: 'bot', startedAt: at('03-03', '12:00'), updatedAt: at('03-03', '12:00'),
    events: [started(at('03-03', '12:00')), asked(at('03-03', '12:00')), fallback(at('03-03', '12:00'), 'asdf qwerty zxcv')],
  },
  {
    id: 'c5', customer: 'A2', channel: 'slack', state: 'resolved', startedAt: at('03-04', '08:00'), updatedAt: at('03-04', '08:02'),
    events: [started(at('03-04', '08:00')), asked(at('03-04', '08:00')), answered(at('03-04', '08:00'), 'article', 'reset-password'), ...helped(at('03-04', '08:02'), 'reset-password')],
    ces: { score: 6, humanInvolved: false }, nps: 9,
  },
  {
    id: 'c6', customer: 'B', channel: 'web', state: 'resolved', startedAt: at('03-05', '10:00'), updatedAt: at('03-05', '10:01'),
    events: [started(at('03-05', '10:00')), asked(at('03-05', '10:00')), answered(at('03-05', '10:00'), 'article', 'refund-policy'), ...helped(at('03-05', '10:01'), 'refund-policy')],
    ces: { score: 4, humanInvolved: false },
  },
  {
    id: 'c7', customer: 'E', channel: 'web', state: 'resolved', startedAt: at('03-05', '14:00'), updatedAt: at('03-05', '17:00'),
    events: [
      started(at('03-05', '14:00')), asked(at('03-05', '14:00')), ...handOver(at('03-05', '14:00')),
      agent('assigned', at('03-05', '15:29'), AGENT2, { by: AGENT2 }), agent('first_response', at('03-05', '15:30'), AGENT2), agent('agent_reply', at('03-05', '15:30'), AGENT2),
      agent('resolved', at('03-05', '16:00'), AGENT2, { by: 'agent' }), agent('reopened', at('03-05', '16:30'), AGENT2), agent('resolved', at('03-05', '17:00'), AGENT2, { by: 'agent' }),
    ],
    ticket: { id: 't7', createdAt: at('03-05', '14:00'), dueAt: at('03-05', '15:00'), firstResponseAt: at('03-05', '15:30'), resolvedAt: at('03-05', '17:00'), assigneeId: AGENT2 },
    ces: { score: 2, humanInvolved: true, csat: 4 }, nps: 8,
  },
  {
    id: 'c11', customer: 'G', channel: 'web', state: 'bot', startedAt: at('03-06', '09:00'), updatedAt: at('03-06', '09:01'),
    events: [started(at('03-06', '09:00')), asked(at('03-06', '09:00')), fallback(at('03-06', '09:00'), 'Wie exportiere ich meine Daten', 'de'), asked(at('03-06', '09:01')), answered(at('03-06', '09:01'), 'article', 'export-data')],
  },
  {
    id: 'c9', customer: 'F', channel: 'web', state: 'queued', startedAt: at('03-07', '10:00'), updatedAt: at('03-07', '10:00'),
    events: [started(at('03-07', '10:00')), asked(at('03-07', '10:00')), ...handOver(at('03-07', '10:00'))],
    ticket: { id: 't9', createdAt: at('03-07', '10:00'), dueAt: at('03-07', '11:00') },
  },
  {
    id: 'c8', customer: 'H', channel: 'msteams', state: 'bot', startedAt: at('03-08', '22:00'), updatedAt: at('03-08', '22:05'),
    events: [started(at('03-08', '22:00')), asked(at('03-08', '22:00')), answered(at('03-08', '22:05'), 'intent', 'billing_question')],
  },
  {
    id: 'c12', customer: 'B', channel: 'web', state: 'resolved', startedAt: at('03-09', '10:00'), updatedAt: at('03-09', '10:01'),
    events: [started(at('03-09', '10:00')), asked(at('03-09', '10:00')), answered(at('03-09', '10:00'), 'article', 'refund-policy'), ...helped(at('03-09', '10:01'), 'refund-policy')],
  },
];

/** Article votes ("Did this help?"); the last one comes from the help centre, with no conversation. */
export const articleVotes = [
  { article_id: 'reset-password', helpful: 1, source: 'web', conversation_id: 'c1', created_at: at('03-02', '10:03') },
  { article_id: 'refund-policy', helpful: 1, source: 'web', conversation_id: 'c6', created_at: at('03-05', '10:01') },
  { article_id: 'export-data', helpful: 0, source: 'help', conversation_id: null, created_at: at('03-05', '12:00') },
];
