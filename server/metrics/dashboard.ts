import { CSAT_SCALE } from '../../bot/types';
import { netPromoterScore } from '../domain/resolution';
import type { Store } from '../store/types';
import type { MetricsQuery, Segment } from './query';
import { ratio } from './stats';
import { groupUnanswered, type UnansweredGroup } from './unanswered';

export type { Segment } from './query';

export interface CsatFigures {
  count: number;
  average: number | null;
  /** Share of answers that are 4 or 5. */
  satisfiedRate: number | null;
}

/** The headline numbers of one period (definitions: server/domain/resolution.ts). */
export interface Summary {
  conversations: number;
  outcomes: { confirmed: number; assumed: number; escalated: number; abandoned: number; open: number };
  /** (confirmed + assumed) / conversations. */
  selfServiceRate: number | null;
  escalationRate: number | null;
  firstContactResolutionRate: number | null;
  fcr: { resolved: number; firstContact: number; reopened: number; repeat: number; switched: number };
  ces: { average: number | null; count: number; distribution: number[]; botOnlyAverage: number | null; withPersonAverage: number | null };
  csat: CsatFigures & { enabled: boolean; distribution: number[]; botOnly: CsatFigures; withPerson: CsatFigures };
  nps: { enabled: boolean; count: number; score: number | null; promoters: number; detractors: number; distribution: number[] };
  firstResponse: { medianMs: number | null; p90Ms: number | null };
  resolution: { medianMs: number | null; p90Ms: number | null };
  slaBreaches: number;
}

export interface Metrics {
  range: { from: string; to: string };
  /** The period of the same length just before, and its numbers: what the arrows compare against. */
  previousRange: { from: string; to: string };
  segment: Segment;
  summary: Summary;
  previous: Summary;
  daily: { date: string; conversations: number; confirmed: number; assumed: number; selfServed: number; escalations: number; abandoned: number }[];
  agents: { agentId: string; name: string; assigned: number; resolved: number; replies: number }[];
  articles: { articleId: string; title: string; helpful: number; notHelpful: number; helpfulness: number | null }[];
  unanswered: UnansweredGroup[];
}

export interface DashboardInput {
  /** Inclusive UTC days, YYYY-MM-DD. */
  range: { from: string; to: string };
  segment: Segment;
  surveys: { csat: boolean; nps: boolean };
  agentNames: Map<string, string>;
  articleTitles: Map<string, string>;
}

const DAY_MS = 86_400_000;
/** Questions grouped into "top unanswered": the newest ones of the range. */
const UNANSWERED_SAMPLE = 2000;

/** [from, to) instants of inclusive UTC days. */
export function dayRange(from: string, to: string): { from: string; to: string } {
  return { from: new Date(`${from}T00:00:00.000Z`).toISOString(), to: new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS).toISOString() };
}

function previousDays(range: { from: string; to: string }): { from: string; to: string } {
  const days = Math.round((Date.parse(range.to) - Date.parse(range.from)) / DAY_MS) + 1;
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  return { from: day(Date.parse(range.from) - days * DAY_MS), to: day(Date.parse(range.from) - DAY_MS) };
}

const avg = (sum: number, n: number) => (n === 0 ? null : sum / n);
const csat = (count: number, sum: number, satisfied: number): CsatFigures => ({ count, average: avg(sum, count), satisfiedRate: ratio(satisfied, count) });

async function summary(store: Store, q: MetricsQuery, surveys: DashboardInput['surveys']): Promise<Summary> {
  const [f, times] = await Promise.all([store.metrics.figures(q), store.metrics.ticketTimes(q)]);
  const { ces: cesDist, csat: csatDist, nps: npsDist } = f.distributions;
  const c = f.counts;
  return {
    conversations: c.conversations,
    outcomes: { confirmed: c.confirmed, assumed: c.assumed, escalated: c.escalated, abandoned: c.abandoned, open: c.open },
    selfServiceRate: ratio(c.selfService, c.conversations),
    escalationRate: ratio(c.escalated, c.conversations),
    firstContactResolutionRate: ratio(c.fcr, f.resolved),
    fcr: { resolved: f.resolved, firstContact: c.fcr, reopened: c.fcrReopened, repeat: c.fcrRepeat, switched: c.fcrSwitch },
    ces: {
      average: avg(f.ces.sum, c.ces),
      count: c.ces,
      distribution: cesDist,
      botOnlyAverage: avg(f.ces.botOnlySum, f.ces.botOnlyCount),
      withPersonAverage: avg(f.ces.withPersonSum, f.ces.withPersonCount),
    },
    csat: {
      enabled: surveys.csat,
      ...csat(c.csat, f.csat.sum, f.csat.satisfied),
      distribution: csatDist.slice(0, CSAT_SCALE),
      botOnly: csat(f.csat.botOnly.count, f.csat.botOnly.sum, f.csat.botOnly.satisfied),
      withPerson: csat(f.csat.withPerson.count, f.csat.withPerson.sum, f.csat.withPerson.satisfied),
    },
    nps: { enabled: surveys.nps, count: c.nps, score: netPromoterScore(f.nps.promoters, f.nps.detractors, c.nps), promoters: f.nps.promoters, detractors: f.nps.detractors, distribution: npsDist },
    ...times,
    slaBreaches: c.slaBreaches,
  };
}

/**
 * The dashboard for a range of days and a segment, with the previous period of the same
 * length. Every number is an SQL aggregate over the per-conversation roll-up (refreshed first:
 * only what changed since the last refresh is folded); nothing loads the event log.
 */
export async function buildDashboard(store: Store, input: DashboardInput): Promise<Metrics> {
  await store.metrics.refresh();
  const previousRange = previousDays(input.range);
  const q: MetricsQuery = { ...dayRange(input.range.from, input.range.to), segment: input.segment };
  const pq: MetricsQuery = { ...dayRange(previousRange.from, previousRange.to), segment: input.segment };
  const [current, previous, daily, agents, articles, texts] = await Promise.all([
    summary(store, q, input.surveys),
    summary(store, pq, input.surveys),
    store.metrics.daily(q),
    store.metrics.agentWork(q),
    store.metrics.articleVotes(q),
    store.metrics.fallbackTexts(q, UNANSWERED_SAMPLE),
  ]);
  return {
    range: input.range,
    previousRange,
    segment: input.segment,
    summary: current,
    previous,
    daily: daily.map((d) => ({ ...d, selfServed: d.confirmed + d.assumed })),
    agents: agents
      .map((a) => ({ ...a, name: input.agentNames.get(a.agentId) ?? a.agentId }))
      .sort((a, b) => b.assigned + b.replies - (a.assigned + a.replies) || a.agentId.localeCompare(b.agentId)),
    articles: articles
      .map((a) => ({ ...a, title: input.articleTitles.get(a.articleId) ?? a.articleId, helpfulness: ratio(a.helpful, a.helpful + a.notHelpful) }))
      .sort((a, b) => b.helpful + b.notHelpful - (a.helpful + a.notHelpful) || a.articleId.localeCompare(b.articleId)),
    unanswered: groupUnanswered(texts),
  };
}
