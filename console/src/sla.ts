/** SLA countdown shown on every queue item: time left until the first-response deadline. */

export interface SlaInfo {
  label: string;
  /** The deadline passed without a response (or the response came late). */
  breached: boolean;
  /** Less than 5 minutes left: shown in amber. */
  soon: boolean;
}

export const SLA_SOON_MS = 5 * 60_000;

/** "45s", "12m 05s", "1h 20m", "2d 3h": compact, biggest two units. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

export function slaStatus(
  ticket: { status: string; firstResponseDueAt: string; firstResponseAt: string | null },
  now: number,
): SlaInfo {
  const due = Date.parse(ticket.firstResponseDueAt);
  if (ticket.firstResponseAt) {
    const late = Date.parse(ticket.firstResponseAt) > due;
    return { label: late ? 'Responded late' : 'Responded', breached: late, soon: false };
  }
  if (Number.isNaN(due)) return { label: 'No SLA', breached: false, soon: false };
  if (ticket.status === 'resolved') return { label: 'Resolved', breached: false, soon: false };
  const left = due - now;
  if (left <= 0) return { label: `SLA breached ${formatCountdown(-left)} ago`, breached: true, soon: false };
  return { label: `${formatCountdown(left)} left`, breached: false, soon: left <= SLA_SOON_MS };
}
