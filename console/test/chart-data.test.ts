import { describe, expect, it } from 'vitest';
import { cesColumns, dailyColumns, dateToSeconds, describeCes, describeDaily } from '../src/chart-data';
import { pathOf, routeOf, ticketFromSearch } from '../src/routes';

describe('chart data', () => {
  it('turns daily rows into sorted uPlot columns', () => {
    const daily = [
      { date: '2025-03-02', conversations: 5, confirmed: 1, assumed: 2, selfServed: 3, escalations: 1, abandoned: 1 },
      { date: '2025-03-01', conversations: 2, confirmed: 2, assumed: 0, selfServed: 2, escalations: 0, abandoned: 0 },
    ];
    const [x, conv, esc, self] = dailyColumns(daily);
    expect(x).toEqual([dateToSeconds('2025-03-01'), dateToSeconds('2025-03-02')]);
    expect(x[1]! - x[0]!).toBe(86_400);
    expect(conv).toEqual([2, 5]);
    expect(esc).toEqual([0, 1]);
    expect(self).toEqual([2, 3]);
  });

  it('always gives seven CES bars, padding missing scores with zeros', () => {
    expect(cesColumns([1, 2, 3])).toEqual([[1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 0, 0, 0, 0]]);
    expect(cesColumns(null)[1]).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('describes charts for screen readers', () => {
    expect(describeDaily([])).toBe('No conversations in this range.');
    expect(describeDaily([{ date: '2025-03-01', conversations: 4, confirmed: 1, assumed: 1, selfServed: 2, escalations: 1, abandoned: 1 }])).toContain('4 conversations, 2 self-served, 1 escalated');
    expect(describeCes([0, 0, 0, 0, 0, 0, 0])).toBe('No effort scores in this range.');
    expect(describeCes([0, 0, 0, 0, 0, 1, 2])).toContain('7: 2');
  });
});

describe('routes', () => {
  it('maps the two server paths to views', () => {
    expect(routeOf('/console')).toBe('queue');
    expect(routeOf('/console/')).toBe('queue');
    expect(routeOf('/console/dashboard')).toBe('dashboard');
    expect(routeOf('/console/dashboard/')).toBe('dashboard');
    expect(pathOf('dashboard')).toBe('/console/dashboard');
  });

  it('reads the open ticket from the query string and rejects junk', () => {
    expect(ticketFromSearch('?ticket=t_123-abc')).toBe('t_123-abc');
    expect(ticketFromSearch('')).toBeNull();
    expect(ticketFromSearch('?ticket=../../etc')).toBeNull();
  });
});
