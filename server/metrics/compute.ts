import { CSAT_SCALE } from '../../bot/types';
import type { EventRow, StoredSurvey, Ticket } from '../store/types';
import { mean, percentile, ratio } from './stats';
import { groupUnanswered, type UnansweredGroup } from './unanswered';

export interface MetricsInput {
  range: { from: string; to: string };
  events: EventRow[];
  tickets: Ticket[];
  surveys: StoredSurvey[];
  /** CSAT_ENABLED: the dashboard shows the CSAT figures even before the first answer. */
  csatEnabled?: boolean;
  feedback: { articleId: string; helpful: number; notHelpful: number }[];
  agentNames: Map<string, string>;
  articleTitles: Map<string, string>;
  now?: number;
}

export interface Metrics {
  range: { from: string; to: string };
  summary: {
    conversations: number;
    selfServiceRate: number | null;
    escalationRate: number | null;
    firstContactResolutionRate: number | null;
    ces: {
      average: number | null;
      count: number;
      distribution: number[];
      botOnlyAverage: number | null;
      withPersonAverage: number | null;
    };
    csat: {
      enabled: boolean;
      /** Answers per score 1…5 (index 0 = score 1). */
      distribution: number[];
      botOnly: CsatFigures;
      withPerson: CsatFigures;
    } & CsatFigures;
    firstResponse: { medianMs: number | null; p90Ms: number | null };
    resolution: { medianMs: number | null; p90Ms: number | null };
    slaBreaches: number;
  };
  daily: { date: string; conversations: number; escalations: number; selfServed: number }[];
  agents: { agentId: string; name: string; assigned: number; resolved: number; replies: number }[];
  articles: { articleId: string; title: string; helpful: number; notHelpful: number; helpfulness: number | null }[];
  unanswered: UnansweredGroup[];
}

export interface CsatFigures {
  count: number;
  average: number | null;
  /** Share of answers that are 4 or 5. */
  satisfiedRate: number | null;
}

const day = (iso: string) => iso.slice(0, 10);

/** Scores of 4 and 5 count as satisfied (the usual CSAT definition). */
const SATISFIED_FROM = 4;

function csatFigures(scores: number[]): CsatFigures {
  return { count: scores.length, average: mean(scores), satisfiedRate: ratio(scores.filter((s) => s >= SATISFIED_FROM).length, scores.length) };
}

/**
 * The dashboard's numbers, from the event log of one date range. Definitions:
 * - self-service rate: conversations the customer marked resolved by the bot ("yes, this helped") / conversations started;
 * - escalation rate: conversations handed to people / conversations started;
 * - first-contact resolution: resolved conversations never reopened / resolved conversations;
 * - first response and resolution times: from ticket creation, over tickets created in the range;
 * - SLA breach: first response later than its due time (or still missing after it);
 * - CSAT: answers to the optional satisfaction question (1–5) that follows a CES answer in the
 *   range; satisfied = 4 or 5; bot-only vs. with a person as for CES.
 */
export function computeMetrics(input: MetricsInput): Metrics {
  const { events } = input;
  const now = input.now ?? Date.now();
  const started = new Set(events.filter((e) => e.type === 'conversation_started').map((e) => e.conversationId));
  const escalated = new Set(events.filter((e) => e.type === 'escalated').map((e) => e.conversationId));
  const resolvedEvents = events.filter((e) => e.type === 'resolved');
  const selfServed = new Set(resolvedEvents.filter((e) => e.data.by === 'bot').map((e) => e.conversationId));
  const resolved = new Set(resolvedEvents.map((e) => e.conversationId));
  const reopened = new Set(events.filter((e) => e.type === 'reopened').map((e) => e.conversationId));
  const firstContact = [...resolved].filter((c) => !reopened.has(c)).length;

  const ces = input.surveys.filter((s) => s.kind === 'ces');
  const distribution = Array.from({ length: 7 }, (_, i) => ces.filter((s) => s.score === i + 1).length);
  const csat = ces.filter((s): s is StoredSurvey & { csat: number } => s.csat !== null);
  const csatOf = (rows: typeof csat) => csatFigures(rows.map((s) => s.csat));

  const firstResponses = input.tickets.flatMap((t) => (t.firstResponseAt ? [Date.parse(t.firstResponseAt) - Date.parse(t.createdAt)] : []));
  const resolutions = input.tickets.flatMap((t) => (t.resolvedAt ? [Date.parse(t.resolvedAt) - Date.parse(t.createdAt)] : []));
  const slaBreaches = input.tickets.filter((t) => (t.firstResponseAt ? Date.parse(t.firstResponseAt) : now) > Date.parse(t.firstResponseDueAt)).length;

  const days = new Map<string, { date: string; conversations: number; escalations: number; selfServed: number }>();
  const bucket = (iso: string) => {
    const d = day(iso);
    let b = days.get(d);
    if (!b) days.set(d, (b = { date: d, conversations: 0, escalations: 0, selfServed: 0 }));
    return b;
  };
  for (let t = Date.parse(input.range.from); t < Date.parse(input.range.to); t += 86_400_000) bucket(new Date(t).toISOString());
  for (const e of events) {
    if (e.type === 'conversation_started') bucket(e.createdAt).conversations++;
    else if (e.type === 'escalated') bucket(e.createdAt).escalations++;
    else if (e.type === 'resolved' && e.data.by === 'bot') bucket(e.createdAt).selfServed++;
  }

  const agents = new Map<string, { agentId: string; name: string; assigned: number; resolved: number; replies: number }>();
  const agentRow = (id: string) => {
    let row = agents.get(id);
    if (!row) agents.set(id, (row = { agentId: id, name: input.agentNames.get(id) ?? id, assigned: 0, resolved: 0, replies: 0 }));
    return row;
  };
  for (const e of events) {
    if (!e.agentId) continue;
    if (e.type === 'assigned') agentRow(e.agentId).assigned++;
    else if (e.type === 'resolved') agentRow(e.agentId).resolved++;
    else if (e.type === 'agent_reply') agentRow(e.agentId).replies++;
  }

  return {
    range: input.range,
    summary: {
      conversations: started.size,
      selfServiceRate: ratio([...selfServed].filter((c) => started.has(c)).length, started.size),
      escalationRate: ratio([...escalated].filter((c) => started.has(c)).length, started.size),
      firstContactResolutionRate: ratio(firstContact, resolved.size),
      ces: {
        average: mean(ces.map((s) => s.score)),
        count: ces.length,
        distribution,
        botOnlyAverage: mean(ces.filter((s) => !s.humanInvolved).map((s) => s.score)),
        withPersonAverage: mean(ces.filter((s) => s.humanInvolved).map((s) => s.score)),
      },
      csat: {
        enabled: input.csatEnabled ?? false,
        ...csatOf(csat),
        distribution: Array.from({ length: CSAT_SCALE }, (_, i) => csat.filter((s) => s.csat === i + 1).length),
        botOnly: csatOf(csat.filter((s) => !s.humanInvolved)),
        withPerson: csatOf(csat.filter((s) => s.humanInvolved)),
      },
      firstResponse: { medianMs: percentile(firstResponses, 50), p90Ms: percentile(firstResponses, 90) },
      resolution: { medianMs: percentile(resolutions, 50), p90Ms: percentile(resolutions, 90) },
      slaBreaches,
    },
    daily: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)),
    agents: [...agents.values()].sort((a, b) => b.assigned + b.replies - (a.assigned + a.replies)),
    articles: input.feedback
      .map((f) => ({ ...f, title: input.articleTitles.get(f.articleId) ?? f.articleId, helpfulness: ratio(f.helpful, f.helpful + f.notHelpful) }))
      .sort((a, b) => b.helpful + b.notHelpful - (a.helpful + a.notHelpful)),
    unanswered: groupUnanswered(events.filter((e) => e.type === 'bot_fallback').map((e) => String(e.data.text ?? ''))),
  };
}
