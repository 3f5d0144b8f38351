import { describe, expect, it } from 'vitest';
import { sortQueue } from '../src/queue-sort';

const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 12, min)).toISOString();
const t = (id: string, o: { created: number; due: number; responded?: boolean; status?: string; priority?: string }) => ({
  id,
  status: o.status ?? 'open',
  priority: o.priority ?? 'normal',
  createdAt: at(o.created),
  firstResponseDueAt: at(o.due),
  firstResponseAt: o.responded ? at(o.created + 1) : null,
});

describe('queue order', () => {
  const tickets = [
    t('new', { created: 50, due: 110 }),
    t('overdue-a-little', { created: 0, due: 40 }),
    t('answered', { created: 1, due: 61, responded: true, status: 'assigned' }),
    t('overdue-most', { created: -30, due: 30 }),
    t('due-soon', { created: 10, due: 70 }),
    t('resolved', { created: -100, due: -40, status: 'resolved', responded: true }),
  ];

  it('puts waiting tickets by SLA due time first (most overdue on top), then answered, then resolved', () => {
    expect(sortQueue(tickets, 'sla').map((x) => x.id)).toEqual(['overdue-most', 'overdue-a-little', 'due-soon', 'new', 'answered', 'resolved']);
  });

  it('offers newest, oldest and priority orders too', () => {
    expect(sortQueue(tickets, 'newest')[0]!.id).toBe('new');
    expect(sortQueue(tickets, 'oldest')[0]!.id).toBe('resolved');
    const urgent = [...tickets, t('urgent', { created: 60, due: 200, priority: 'urgent' })];
    expect(sortQueue(urgent, 'priority')[0]!.id).toBe('urgent');
  });
});
