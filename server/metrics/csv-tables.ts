import type { Metrics } from './dashboard';

type Table = (m: Metrics) => Record<string, unknown>[];

/** The CSV exports of the dashboard, by name (`GET /api/metrics/<name>.csv`). */
export function csvTables(): Record<string, Table> {
  return {
    summary: (m) => {
      const s = m.summary;
      const p = m.previous;
      return [
        {
          from: m.range.from,
          to: m.range.to,
          conversations: s.conversations,
          confirmed: s.outcomes.confirmed,
          assumed: s.outcomes.assumed,
          escalated: s.outcomes.escalated,
          abandoned: s.outcomes.abandoned,
          open: s.outcomes.open,
          selfServiceRate: s.selfServiceRate,
          escalationRate: s.escalationRate,
          firstContactResolutionRate: s.firstContactResolutionRate,
          fcrResolved: s.fcr.resolved,
          fcrReopened: s.fcr.reopened,
          fcrRepeat: s.fcr.repeat,
          fcrChannelSwitch: s.fcr.switched,
          cesAverage: s.ces.average,
          cesCount: s.ces.count,
          cesBotOnlyAverage: s.ces.botOnlyAverage,
          cesWithPersonAverage: s.ces.withPersonAverage,
          csatCount: s.csat.count,
          csatAverage: s.csat.average,
          csatSatisfiedRate: s.csat.satisfiedRate,
          csatBotOnlyAverage: s.csat.botOnly.average,
          csatBotOnlySatisfiedRate: s.csat.botOnly.satisfiedRate,
          csatWithPersonAverage: s.csat.withPerson.average,
          csatWithPersonSatisfiedRate: s.csat.withPerson.satisfiedRate,
          npsCount: s.nps.count,
          nps: s.nps.score,
          firstResponseMedianMs: s.firstResponse.medianMs,
          firstResponseP90Ms: s.firstResponse.p90Ms,
          resolutionMedianMs: s.resolution.medianMs,
          resolutionP90Ms: s.resolution.p90Ms,
          slaBreaches: s.slaBreaches,
          previousFrom: m.previousRange.from,
          previousTo: m.previousRange.to,
          previousConversations: p.conversations,
          previousSelfServiceRate: p.selfServiceRate,
          previousFirstContactResolutionRate: p.firstContactResolutionRate,
        },
      ];
    },
    ces: (m) => m.summary.ces.distribution.map((count, i) => ({ score: i + 1, count })),
    csat: (m) => m.summary.csat.distribution.map((count, i) => ({ score: i + 1, count })),
    nps: (m) => m.summary.nps.distribution.map((count, i) => ({ score: i, count })),
    daily: (m) => m.daily,
    agents: (m) => m.agents,
    articles: (m) => m.articles,
    unanswered: (m) => m.unanswered.map((u) => ({ text: u.text, count: u.count, examples: u.examples })),
  };
}
