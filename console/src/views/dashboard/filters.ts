/** The dashboard's filters and how they become the metrics query string (pure; unit-tested). */
export interface DashboardFilters {
  from: string;
  to: string;
  channel: string;
  /** `plan=Business`: any attribute key the site sends. */
  attribute: string;
  article: string;
  intent: string;
  agent: string;
  language: string;
}

const SEGMENT_KEYS = ['channel', 'article', 'intent', 'agent', 'language'] as const;

export function filtersQuery(f: DashboardFilters): string {
  const p = new URLSearchParams({ from: f.from, to: f.to });
  for (const key of SEGMENT_KEYS) if (f[key].trim()) p.set(key, f[key].trim());
  const attr = f.attribute.trim();
  if (attr) p.set('attr', attr);
  return p.toString();
}

/** `key=value` with a key the server accepts; empty is fine (no filter). */
export function attributeProblem(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  const i = t.indexOf('=');
  if (i <= 0 || i === t.length - 1) return 'Write the attribute as key=value, e.g. plan=Business';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(t.slice(0, i))) return 'Attribute keys are letters, digits, _ . - (up to 64)';
  return null;
}

export type ChangeKind = 'count' | 'rate' | 'average';

/**
 * The change against the previous period: counts in %, rates in percentage points, averages
 * as a difference. Null when either side has no data.
 */
export function change(current: number | null | undefined, previous: number | null | undefined, kind: ChangeKind): { text: string; direction: 'up' | 'down' | 'flat' } | null {
  if (current === null || current === undefined || previous === null || previous === undefined) return null;
  if (kind === 'count' && previous === 0) return current === 0 ? { text: '±0', direction: 'flat' } : null;
  const delta = kind === 'count' ? ((current - previous) / previous) * 100 : kind === 'rate' ? (current - previous) * 100 : current - previous;
  const rounded = Math.round(delta * 10) / 10;
  if (rounded === 0) return { text: '±0', direction: 'flat' };
  const unit = kind === 'count' ? '%' : kind === 'rate' ? ' pts' : '';
  return { text: `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toLocaleString('en-US')}${unit}`, direction: rounded > 0 ? 'up' : 'down' };
}
