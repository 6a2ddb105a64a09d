import type { Queryable } from '@coterie/db';
import { withTransaction } from '@coterie/db';
import {
  deleteCalendarToken,
  memberByCalendarToken,
  replaceCalendarToken,
} from '../adapters/postgres/calendar-tokens-repository.ts';
import { type EventRow, publicFeedEvents } from '../adapters/postgres/events-repository.ts';
import { findRsvps, memberFeedEventIds } from '../adapters/postgres/rsvps-repository.ts';
import { CalendarTokenInvalidError } from '../domain/errors.ts';
import { type IcsEvent, writeCalendar } from '../domain/ics/write-calendar.ts';
import { localSpan } from '../domain/schedule.ts';
import { newFeedToken, sha256 } from '../domain/secrets.ts';
import type { Deps } from '../ports.ts';

/** Past events stay in feeds for 30 days (so a cancellation still reaches calendars). */
const FEED_HISTORY_MS = 30 * 24 * 3_600_000;

export function toIcsEvent(event: EventRow, revealUrl: boolean): IcsEvent {
  const when = localSpan(event.starts_at, event.ends_at, event.timezone);
  const url = revealUrl && event.location_kind === 'online' ? (event.location_url ?? undefined) : undefined;
  return {
    uid: `${event.id}@coterie`,
    sequence: event.sequence,
    created: event.created_at,
    lastModified: event.updated_at,
    start: event.starts_at,
    end: event.ends_at,
    summary: event.title,
    description: [event.description.trim(), `When: ${when}`].filter(Boolean).join('\n\n'),
    location: event.location_kind === 'venue' ? (event.location_address ?? undefined) : (url ?? 'Online'),
    url,
    status: event.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
  };
}

/** The public feed: events without `minTierRank`; online URLs are never in it. */
export async function communityCalendar(
  deps: Deps,
  input: { communityId: string; calendarName?: string | undefined },
): Promise<string> {
  const since = new Date(deps.clock.now().getTime() - FEED_HISTORY_MS);
  const events = await publicFeedEvents(deps.pool, input.communityId, since);
  return writeCalendar({ name: input.calendarName, events: events.map((e) => toIcsEvent(e, false)) });
}

/** The private feed of the events a member said going or maybe to; URLs where they hold a seat. */
export async function memberCalendar(deps: Deps, token: string): Promise<string> {
  const memberId = await memberByCalendarToken(deps.pool, sha256(token));
  if (!memberId) throw new CalendarTokenInvalidError();
  const since = new Date(deps.clock.now().getTime() - FEED_HISTORY_MS);
  const ids = await memberFeedEventIds(deps.pool, memberId, since);
  const events = await eventsByIds(deps.pool, ids);
  const rsvps = await findRsvps(deps.pool, ids, memberId);
  return writeCalendar({
    name: 'Coterie events',
    events: events.map((e) => toIcsEvent(e, rsvps.get(e.id)?.seat === 'confirmed')),
  });
}

async function eventsByIds(db: Queryable, ids: readonly string[]): Promise<EventRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<EventRow>(
    'SELECT * FROM events WHERE id = ANY($1::uuid[]) ORDER BY starts_at, id',
    [ids],
  );
  return rows;
}

/** Rotates (or creates) a member's feed token, returned once; `revoke` deletes it. */
export async function calendarToken(
  deps: Deps,
  input: { actorId: string; action: 'rotate' | 'revoke' },
): Promise<{ token: string | null; createdAt: string | null }> {
  if (input.action === 'revoke') {
    await deleteCalendarToken(deps.pool, input.actorId);
    return { token: null, createdAt: null };
  }
  const token = newFeedToken();
  const now = deps.clock.now();
  await withTransaction(deps.pool, (client) =>
    replaceCalendarToken(client, input.actorId, sha256(token), now),
  );
  return { token, createdAt: now.toISOString() };
}
