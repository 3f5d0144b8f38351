import { describe, expect, it } from 'vitest';
import { formatCountdown, slaStatus } from '../src/sla';

const now = Date.parse('2025-03-03T12:00:00Z');
const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();

describe('formatCountdown', () => {
  it('uses the two biggest units', () => {
    expect(formatCountdown(0)).toBe('0s');
    expect(formatCountdown(45_000)).toBe('45s');
    expect(formatCountdown(12 * 60_000 + 5_000)).toBe('12m 05s');
    expect(formatCountdown(80 * 60_000)).toBe('1h 20m');
    expect(formatCountdown(51 * 3600_000)).toBe('2d 3h');
  });

  it('never shows negative time', () => {
    expect(formatCountdown(-5000)).toBe('0s');
  });
});

describe('slaStatus', () => {
  const open = (dueOffset: number, extra: Partial<{ status: string; firstResponseAt: string | null }> = {}) => ({
    status: 'open',
    firstResponseDueAt: at(dueOffset),
    firstResponseAt: null,
    ...extra,
  });

  it('counts down to the first-response deadline', () => {
    expect(slaStatus(open(30 * 60_000), now)).toEqual({ label: '30m 00s left', breached: false, soon: false });
  });

  it('flags the last five minutes', () => {
    expect(slaStatus(open(4 * 60_000), now)).toMatchObject({ label: '4m 00s left', soon: true, breached: false });
  });

  it('reports a breach once the deadline passed without a response', () => {
    expect(slaStatus(open(-90_000), now)).toEqual({ label: 'SLA breached 1m 30s ago', breached: true, soon: false });
    expect(slaStatus(open(0), now).breached).toBe(true);
  });

  it('stops counting once someone responded, and remembers a late response', () => {
    expect(slaStatus(open(-60_000, { firstResponseAt: at(-120_000) }), now)).toMatchObject({ label: 'Responded', breached: false });
    expect(slaStatus(open(-60_000, { firstResponseAt: at(-30_000) }), now)).toMatchObject({ label: 'Responded late', breached: true });
  });

  it('does not count down on resolved tickets or without a deadline', () => {
    expect(slaStatus(open(-60_000, { status: 'resolved' }), now)).toMatchObject({ label: 'Resolved', breached: false });
    expect(slaStatus({ status: 'open', firstResponseDueAt: 'nope', firstResponseAt: null }, now)).toMatchObject({ label: 'No SLA' });
  });
});
