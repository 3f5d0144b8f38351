/** Turns metrics rows into uPlot's column arrays (pure, unit-tested; the drawing is in charts.ts). */
import type { Metrics } from './types';

/** Unix seconds of local midnight for a YYYY-MM-DD date (uPlot's time axis is in seconds). */
export function dateToSeconds(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Math.round(new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).getTime() / 1000);
}

export type DailyColumns = [number[], number[], number[], number[]];

/** [x, conversations, escalations, self-served], sorted by date. */
export function dailyColumns(daily: Metrics['daily']): DailyColumns {
  const rows = [...daily].sort((a, b) => a.date.localeCompare(b.date));
  return [rows.map((r) => dateToSeconds(r.date)), rows.map((r) => r.conversations ?? 0), rows.map((r) => r.escalations ?? 0), rows.map((r) => r.selfServed ?? 0)];
}

/** CES distribution: always seven bars for scores 1…7 (index 0 = score 1). */
export function cesColumns(distribution: readonly number[] | null | undefined): [number[], number[]] {
  const scores = [1, 2, 3, 4, 5, 6, 7];
  return [scores, scores.map((_, i) => {
    const v = distribution?.[i];
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
  })];
}

/** A sentence for screen readers describing a chart's data. */
export function describeDaily(daily: Metrics['daily']): string {
  if (daily.length === 0) return 'No conversations in this range.';
  const sum = (k: 'conversations' | 'escalations' | 'selfServed') => daily.reduce((s, r) => s + (r[k] ?? 0), 0);
  const peak = daily.reduce((best, r) => (r.conversations > best.conversations ? r : best), daily[0]!);
  return `${daily.length} days: ${sum('conversations')} conversations, ${sum('selfServed')} self-served, ${sum('escalations')} escalated. Busiest day ${peak.date} with ${peak.conversations}.`;
}

export function describeCes(distribution: readonly number[] | null | undefined): string {
  const [, counts] = cesColumns(distribution);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return 'No effort scores in this range.';
  return `Effort scores: ${counts.map((c, i) => `${i + 1}: ${c}`).join(', ')}.`;
}
