import { type Kysely, sql } from 'kysely';
import { DRILL_FIGURES, type DrillFigure } from '../domain/resolution';
import type { Dialect } from '../store/open';
import type { Database } from '../store/schema';
import { countWhere, factsFrom, figurePredicate, type MetricsQuery } from './query';

/** How many conversations each drill-down figure holds, plus the sums the averages need. */
export interface FigureCounts {
  counts: Record<DrillFigure, number>;
  resolved: number;
  ces: { sum: number; botOnlySum: number; botOnlyCount: number; withPersonSum: number; withPersonCount: number };
  csat: { sum: number; satisfied: number; botOnly: { count: number; sum: number; satisfied: number }; withPerson: { count: number; sum: number; satisfied: number } };
  nps: { promoters: number; detractors: number };
  /** Answers per score: CES 1–7, CSAT 1–5, NPS 0–10 (index 0 = the lowest score). */
  distributions: { ces: number[]; csat: number[]; nps: number[] };
}

const SCALES = { ces: [1, 7], csat: [1, 5], nps: [0, 10] } as const;
const scores = (survey: keyof typeof SCALES) => Array.from({ length: SCALES[survey][1] - SCALES[survey][0] + 1 }, (_, i) => SCALES[survey][0] + i);

const num = (v: unknown) => Number(v ?? 0);

/** Every headline number of a range and segment in one aggregate over the roll-up rows. */
export async function figureCounts(db: Kysely<Database>, dialect: Dialect, q: MetricsQuery, nowIso: string): Promise<FigureCounts> {
  const columns = DRILL_FIGURES.map((f) => sql`${countWhere(figurePredicate(f, nowIso))} as ${sql.ref(`c_${f}`)}`);
  // The distributions ride along: one pass over the rows instead of one per survey.
  const perScore = (['ces', 'csat', 'nps'] as const).flatMap((survey) =>
    scores(survey).map((k) => sql`${countWhere(sql`${sql.ref(`f.${survey}`)} = ${sql.lit(k)}`)} as ${sql.ref(`${survey}_${k}`)}`),
  );
  const { rows } = await sql<Record<string, unknown>>`
    select ${sql.join(columns)}, ${sql.join(perScore)},
      sum(f.resolved) as resolved,
      sum(f.ces) as ces_sum,
      sum(case when f.human_involved = 0 then f.ces else 0 end) as ces_bot_sum, ${countWhere(sql`f.ces is not null and f.human_involved = 0`)} as ces_bot_n,
      sum(case when f.human_involved = 1 then f.ces else 0 end) as ces_person_sum, ${countWhere(sql`f.ces is not null and f.human_involved = 1`)} as ces_person_n,
      sum(f.csat) as csat_sum, ${countWhere(sql`f.csat >= 4`)} as csat_ok,
      ${countWhere(sql`f.csat is not null and f.human_involved = 0`)} as csat_bot_n, sum(case when f.human_involved = 0 then f.csat else 0 end) as csat_bot_sum,
      ${countWhere(sql`f.csat >= 4 and f.human_involved = 0`)} as csat_bot_ok,
      ${countWhere(sql`f.csat is not null and f.human_involved = 1`)} as csat_person_n, sum(case when f.human_involved = 1 then f.csat else 0 end) as csat_person_sum,
      ${countWhere(sql`f.csat >= 4 and f.human_involved = 1`)} as csat_person_ok,
      ${countWhere(sql`f.nps >= 9`)} as nps_promoters, ${countWhere(sql`f.nps <= 6`)} as nps_detractors
    from ${factsFrom(dialect, q)}`.execute(db);
  const r = rows[0] ?? {};
  const counts = Object.fromEntries(DRILL_FIGURES.map((f) => [f, num(r[`c_${f}`])])) as Record<DrillFigure, number>;
  return {
    counts,
    resolved: num(r.resolved),
    ces: { sum: num(r.ces_sum), botOnlySum: num(r.ces_bot_sum), botOnlyCount: num(r.ces_bot_n), withPersonSum: num(r.ces_person_sum), withPersonCount: num(r.ces_person_n) },
    csat: {
      sum: num(r.csat_sum),
      satisfied: num(r.csat_ok),
      botOnly: { count: num(r.csat_bot_n), sum: num(r.csat_bot_sum), satisfied: num(r.csat_bot_ok) },
      withPerson: { count: num(r.csat_person_n), sum: num(r.csat_person_sum), satisfied: num(r.csat_person_ok) },
    },
    nps: { promoters: num(r.nps_promoters), detractors: num(r.nps_detractors) },
    distributions: { ces: scores('ces').map((k) => num(r[`ces_${k}`])), csat: scores('csat').map((k) => num(r[`csat_${k}`])), nps: scores('nps').map((k) => num(r[`nps_${k}`])) },
  };
}

export interface DailyRow {
  date: string;
  conversations: number;
  confirmed: number;
  assumed: number;
  escalations: number;
  abandoned: number;
}

export async function daily(db: Kysely<Database>, dialect: Dialect, q: MetricsQuery): Promise<DailyRow[]> {
  const { rows } = await sql<Record<string, unknown>>`
    select f.day as day, count(*) as n, ${countWhere(sql`f.outcome = 'confirmed'`)} as confirmed, ${countWhere(sql`f.outcome = 'assumed'`)} as assumed,
      ${countWhere(sql`f.outcome = 'escalated'`)} as escalated, ${countWhere(sql`f.outcome = 'abandoned'`)} as abandoned
    from ${factsFrom(dialect, q)} group by f.day`.execute(db);
  const byDay = new Map(rows.map((r) => [String(r.day), r]));
  const out: DailyRow[] = [];
  // Every day of the range has a row, quiet days included (charts need the gaps).
  for (let t = Date.parse(q.from); t < Date.parse(q.to); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const r = byDay.get(date);
    out.push({ date, conversations: num(r?.n), confirmed: num(r?.confirmed), assumed: num(r?.assumed), escalations: num(r?.escalated), abandoned: num(r?.abandoned) });
  }
  return out;
}

/**
 * Nearest-rank percentiles of a duration column over the range's rows: one pass, ranked by a
 * window function (rank ⌈p·n/100⌉ in integer arithmetic, the same on both backends).
 */
async function percentiles(db: Kysely<Database>, dialect: Dialect, q: MetricsQuery, column: 'first_response_ms' | 'resolution_ms', ps: number[]): Promise<(number | null)[]> {
  const value = sql.ref(`f.${column}`);
  const ranks = sql.join(ps.map((p) => sql`x.r = (${sql.lit(p)} * x.n + 99) / 100`), sql` or `);
  const { rows } = await sql<{ v: number; r: number; n: number }>`
    select x.v, x.r, x.n from (
      select ${value} as v, row_number() over (order by ${value}) as r, count(*) over () as n
      from ${factsFrom(dialect, q)} and ${value} is not null
    ) x where ${ranks}`.execute(db);
  const byRank = new Map(rows.map((r) => [Number(r.r), Number(r.v)]));
  const n = rows[0] ? Number(rows[0].n) : 0;
  return ps.map((p) => (n === 0 ? null : (byRank.get(Math.floor((p * n + 99) / 100)) ?? null)));
}

export async function ticketTimes(db: Kysely<Database>, dialect: Dialect, q: MetricsQuery) {
  const [[frMedian, frP90], [resMedian, resP90]] = await Promise.all([percentiles(db, dialect, q, 'first_response_ms', [50, 90]), percentiles(db, dialect, q, 'resolution_ms', [50, 90])]);
  return { firstResponse: { medianMs: frMedian ?? null, p90Ms: frP90 ?? null }, resolution: { medianMs: resMedian ?? null, p90Ms: resP90 ?? null } };
}
