import { describe, expect, it } from 'vitest';
import { attributeProblem, change, filtersQuery } from '../src/views/dashboard/filters';

const base = { from: '2026-03-01', to: '2026-03-07', channel: '', attribute: '', article: '', intent: '', agent: '', language: '' };

describe('dashboard filters', () => {
  it('puts only the chosen segments in the query, the attribute as attr=key=value', () => {
    expect(filtersQuery(base)).toBe('from=2026-03-01&to=2026-03-07');
    expect(new URLSearchParams(filtersQuery({ ...base, channel: 'slack', attribute: ' plan=Business ', language: 'fr' })).toString()).toBe(
      'from=2026-03-01&to=2026-03-07&channel=slack&language=fr&attr=plan%3DBusiness',
    );
  });

  it('explains a malformed attribute instead of sending it', () => {
    expect(attributeProblem('')).toBeNull();
    expect(attributeProblem('plan=Business')).toBeNull();
    expect(attributeProblem('plan')).toMatch(/key=value/);
    expect(attributeProblem('=Business')).toMatch(/key=value/);
    expect(attributeProblem('plan=')).toMatch(/key=value/);
    expect(attributeProblem('my plan=x')).toMatch(/letters, digits/);
  });

  it('compares with the previous period: counts in %, rates in points, averages as a difference', () => {
    expect(change(120, 100, 'count')).toEqual({ text: '+20%', direction: 'up' });
    expect(change(0.42, 0.5, 'rate')).toEqual({ text: '−8 pts', direction: 'down' });
    expect(change(4.8, 4.8, 'average')).toEqual({ text: '±0', direction: 'flat' });
    expect(change(5, 0, 'count')).toBeNull();
    expect(change(null, 3, 'average')).toBeNull();
  });
});
