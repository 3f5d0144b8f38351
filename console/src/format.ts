/** Small pure formatting helpers shared by the views. */
import type { CsatFigures } from '../../server/metrics/dashboard';

/** Durations for KPIs: "—" when unknown, else "42s", "7m", "1h 20m", "2d 4h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** Rates arrive as fractions 0–1 (or null when there is no data). */
export function formatPercent(rate: number | null | undefined, digits = 0): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(digits)}%`;
}

export function formatNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The CSAT tile's detail line: share satisfied, the bot-only / with-a-person split, answers. */
export function csatDetail(c: CsatFigures & { botOnly: CsatFigures; withPerson: CsatFigures }): string {
  const group = (label: string, g: CsatFigures) => (g.count ? `${label} ${formatNumber(g.average, 1)} (${formatPercent(g.satisfiedRate)})` : `${label} —`);
  const satisfied = c.count ? `${formatPercent(c.satisfiedRate)} satisfied (4–5)` : 'no answers yet';
  return [satisfied, group('bot only', c.botOnly), group('with a person', c.withPerson), `${c.count} ${c.count === 1 ? 'answer' : 'answers'}`].join(' · ');
}

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD in local time. */
export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The last `days` calendar days, today included: the dashboard's default range. */
export function lastNDays(days: number, now: Date = new Date()): { from: string; to: string } {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));
  return { from: isoDate(start), to: isoDate(now) };
}

/** `?from=…&to=…&channel=…` for the metrics endpoints (channel omitted when "all"). */
export function metricsQuery(range: { from: string; to: string }, channel: string): string {
  const p = new URLSearchParams({ from: range.from, to: range.to });
  if (channel) p.set('channel', channel);
  return p.toString();
}

/** Links from transcript data are only followed when they are http(s) or site-relative. */
export function safeHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** File name for a drafted article: "how-do-i-reset-my-password.md". */
export function slugify(text: string, max = 60): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return slug || 'article';
}

/** "14:05" today, "Mar 3, 14:05" otherwise. */
export function formatTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (isoDate(d) === isoDate(now)) return time;
  const month = d.toLocaleString('en-US', { month: 'short' });
  return `${month} ${d.getDate()}, ${time}`;
}

/** Tags typed as "billing, refund  , Billing" → normalized, de-duplicated, merged with existing. */
export function mergeTags(existing: string[], input: string, max = 20): string[] {
  const out = [...existing];
  const seen = new Set(existing.map((t) => t.toLowerCase()));
  for (const raw of input.split(',')) {
    const tag = raw.trim().replace(/\s+/g, ' ').slice(0, 40);
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out.slice(0, max);
}

export function capitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}
