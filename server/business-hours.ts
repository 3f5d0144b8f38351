import type { BusinessHours } from './config';

const WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Building a DateTimeFormat costs far more than using one; there is one per time zone. */
const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  return format;
}

/** Is `at` inside the configured business hours, in the configured time zone? */
export function withinBusinessHours(hours: BusinessHours, at = new Date()): boolean {
  const parts = formatFor(hours.timeZone).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = WEEKDAY[get('weekday')] ?? -1;
  const minute = Number(get('hour')) * 60 + Number(get('minute'));
  return hours.days.includes(day) && minute >= hours.startMinute && minute < hours.endMinute;
}

const pad = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "Monday–Friday, 09:00–18:00 (UTC)" */
export function describeBusinessHours(hours: BusinessHours): string {
  const first = DAY_NAMES[hours.days[0] ?? 1];
  const last = DAY_NAMES[hours.days[hours.days.length - 1] ?? 5];
  return `${first}–${last}, ${pad(hours.startMinute)}–${pad(hours.endMinute)} (${hours.timeZone})`;
}
