/** Nearest-rank percentile of unsorted numbers; null for no data. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
