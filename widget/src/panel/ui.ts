/** What every panel component reads besides the chat: words in the visitor's language and the team's branding. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Locale, Translate } from '../i18n';
import type { WidgetConfig } from '../shared';

export interface Ui {
  t: Translate;
  locale: Locale;
  config: WidgetConfig | null;
  /** The header's name: the team's, else the embed's data-title, else "Support". */
  teamName: string;
}

export const UiContext = createContext<Ui>(null as unknown as Ui);
export const useUi = (): Ui => useContext(UiContext);

/** "16:57" today, "Mon 16:57" this week, else a short date and time, in the visitor's locale. */
export function timeLabel(iso: string, locale: Locale, now = Date.now()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const age = now - at.getTime();
  const sameDay = new Date(now).toDateString() === at.toDateString();
  const opts: Intl.DateTimeFormatOptions = sameDay
    ? { hour: 'numeric', minute: '2-digit' }
    : age < 6 * 86_400_000
      ? { weekday: 'short', hour: 'numeric', minute: '2-digit' }
      : { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' };
  return new Intl.DateTimeFormat(locale, opts).format(at);
}

export const initials = (name: string): string =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('') || '?';
