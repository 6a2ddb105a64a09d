import { InvalidScheduleError } from './errors.ts';

export const HOUR_MS = 3_600_000;
export const MAX_EVENT_DURATION_MS = 14 * 24 * HOUR_MS;

/** Reminder kinds sent before the start, with how long before. */
export const REMINDER_LEADS = { '24h': 24 * HOUR_MS, '1h': HOUR_MS } as const;
export type LeadReminderKind = keyof typeof REMINDER_LEADS;

/** Checks an event's instants: it ends after it starts and lasts at most 14 days. */
export function checkSchedule(startsAt: Date, endsAt: Date): void {
  if (!(endsAt.getTime() > startsAt.getTime()))
    throw new InvalidScheduleError('endsAt must be after startsAt');
  if (endsAt.getTime() - startsAt.getTime() > MAX_EVENT_DURATION_MS) {
    throw new InvalidScheduleError('an event lasts at most 14 days');
  }
}

/**
 * The lead reminders still worth scheduling for an event starting at `startsAt`, seen at `now`:
 * one whose time has passed is skipped (a member who RSVPs 5 h before gets only the 1 h one).
 */
export function leadRemindersDue(startsAt: Date, now: Date): { kind: LeadReminderKind; dueAt: Date }[] {
  return (Object.entries(REMINDER_LEADS) as [LeadReminderKind, number][])
    .map(([kind, lead]) => ({ kind, dueAt: new Date(startsAt.getTime() - lead) }))
    .filter((r) => r.dueAt.getTime() > now.getTime());
}

/**
 * A lead reminder found due at `now` is stale when a later one is also due already (the 24 h
 * one after an outage that reaches into the last hour) or the event has started.
 */
export function isLeadReminderStale(kind: LeadReminderKind, startsAt: Date, now: Date): boolean {
  if (now.getTime() >= startsAt.getTime()) return true;
  return kind === '24h' && now.getTime() >= startsAt.getTime() - REMINDER_LEADS['1h'];
}

/**
 * The wall-clock time of `instant` in `timeZone`, with the zone's abbreviation at that instant,
 * so DST is always right: `Mon 30 Mar 2026, 09:00 GMT+2`.
 */
export function localTime(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} ${get('year')}, ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}

/** `Sat 28 Mar 2026, 22:00 GMT+1 – Sun 29 Mar 2026, 10:00 GMT+2 (Europe/Berlin)`. */
export function localSpan(startsAt: Date, endsAt: Date, timeZone: string): string {
  return `${localTime(startsAt, timeZone)} – ${localTime(endsAt, timeZone)} (${timeZone})`;
}
