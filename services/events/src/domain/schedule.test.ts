import { describe, expect, it } from 'vitest';
import { checkSchedule, isLeadReminderStale, leadRemindersDue, localSpan, localTime } from './schedule.ts';

describe('local times', () => {
  it('renders Europe/Warsaw across the March switch: 09:00 on the Monday after is 07:00Z', () => {
    // The switch is on Sunday 29 March 2026 (CET → CEST).
    expect(localTime(new Date('2026-03-30T07:00:00Z'), 'Europe/Warsaw')).toBe('Mon 30 Mar 2026, 09:00 CEST');
    expect(localTime(new Date('2026-03-23T08:00:00Z'), 'Europe/Warsaw')).toBe('Mon 23 Mar 2026, 09:00 CET');
  });

  it('renders a Europe/Berlin event crossing the switch with both offsets', () => {
    expect(
      localSpan(new Date('2026-03-28T21:00:00Z'), new Date('2026-03-29T08:00:00Z'), 'Europe/Berlin'),
    ).toBe('Sat 28 Mar 2026, 22:00 CET – Sun 29 Mar 2026, 10:00 CEST (Europe/Berlin)');
  });
});

describe('checkSchedule', () => {
  it('refuses an end before the start and events longer than 14 days', () => {
    const start = new Date('2026-05-01T10:00:00Z');
    expect(() => checkSchedule(start, start)).toThrow(/after startsAt/);
    expect(() => checkSchedule(start, new Date('2026-05-16T10:00:01Z'))).toThrow(/14 days/);
    expect(() => checkSchedule(start, new Date('2026-05-01T11:00:00Z'))).not.toThrow();
  });
});

describe('reminders', () => {
  const start = new Date('2026-05-02T10:00:00Z');
  it('schedules 24 h and 1 h before, skipping those already past', () => {
    expect(leadRemindersDue(start, new Date('2026-04-20T00:00:00Z'))).toEqual([
      { kind: '24h', dueAt: new Date('2026-05-01T10:00:00Z') },
      { kind: '1h', dueAt: new Date('2026-05-02T09:00:00Z') },
    ]);
    expect(leadRemindersDue(start, new Date('2026-05-02T05:00:00Z'))).toEqual([
      { kind: '1h', dueAt: new Date('2026-05-02T09:00:00Z') },
    ]);
    expect(leadRemindersDue(start, new Date('2026-05-02T09:30:00Z'))).toEqual([]);
  });

  it('drops a 24 h reminder found due inside the last hour, and any after the start', () => {
    expect(isLeadReminderStale('24h', start, new Date('2026-05-01T10:01:00Z'))).toBe(false);
    expect(isLeadReminderStale('24h', start, new Date('2026-05-02T09:10:00Z'))).toBe(true);
    expect(isLeadReminderStale('1h', start, new Date('2026-05-02T09:10:00Z'))).toBe(false);
    expect(isLeadReminderStale('1h', start, new Date('2026-05-02T10:00:00Z'))).toBe(true);
  });
});
