import { attendanceRecordedV1, type eventsRpc } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import type { z } from 'zod';
import { lockEvent, seatCountsOf } from '../adapters/postgres/events-repository.ts';
import { findRsvp, findRsvpByCode, type RsvpRow } from '../adapters/postgres/rsvps-repository.ts';
import { canSee, isHost } from '../domain/access.ts';
import {
  CheckInClosedError,
  CheckInCodeInvalidError,
  EventCancelledError,
  EventNotFoundError,
  NotAHostError,
  NotAttendingError,
} from '../domain/errors.ts';
import { HOUR_MS } from '../domain/schedule.ts';
import { normaliseCheckInCode } from '../domain/secrets.ts';
import type { Deps } from '../ports.ts';
import { SOURCE } from '../ports.ts';

type HostInput = z.infer<typeof eventsRpc.checkIn.request>;
type SelfInput = z.infer<typeof eventsRpc.selfCheckIn.request>;
export interface CheckInResult {
  memberId: string;
  checkedInAt: string;
  method: 'host' | 'code';
  alreadyCheckedIn: boolean;
}

/** A host checks in an attendee with a confirmed seat, by member id or by their code. */
export async function hostCheckIn(deps: Deps, input: HostInput): Promise<CheckInResult> {
  const access = await deps.access.check(input.communityId, input.actorId);
  if (!isHost(access)) throw new NotAHostError();
  return record(
    deps,
    input.communityId,
    input.eventId,
    input.actorId,
    input.code ? 'code' : 'host',
    async (client) =>
      input.code
        ? findRsvpByCode(client, input.eventId, normaliseCheckInCode(input.code))
        : findRsvp(client, input.eventId, input.memberId as string),
  );
}

/**
 * An attendee checks themselves in with their own code (from their RSVP or the 1 h reminder),
 * between 1 h before the start and the end.
 */
export async function selfCheckIn(deps: Deps, input: SelfInput): Promise<CheckInResult> {
  const access = await deps.access.check(input.communityId, input.actorId);
  return record(
    deps,
    input.communityId,
    input.eventId,
    input.actorId,
    'code',
    async (client) => {
      const row = await findRsvp(client, input.eventId, input.actorId);
      return row && row.check_in_code === normaliseCheckInCode(input.code) ? row : undefined;
    },
    (event, now) => {
      if (!canSee(event.min_tier_rank, access)) throw new EventNotFoundError();
      if (now < event.starts_at.getTime() - HOUR_MS || now > event.ends_at.getTime())
        throw new CheckInClosedError();
    },
  );
}

async function record(
  deps: Deps,
  communityId: string,
  eventId: string,
  actorId: string,
  method: 'host' | 'code',
  find: (client: Parameters<Parameters<typeof withTransaction>[1]>[0]) => Promise<RsvpRow | undefined>,
  guard?: (event: NonNullable<Awaited<ReturnType<typeof lockEvent>>>, now: number) => void,
): Promise<CheckInResult> {
  const now = deps.clock.now();
  const result = await withTransaction(deps.pool, async (client) => {
    const event = await lockEvent(client, communityId, eventId);
    if (!event) throw new EventNotFoundError();
    guard?.(event, now.getTime());
    if (event.status === 'cancelled') throw new EventCancelledError();
    const row = await find(client);
    if (!row) throw method === 'code' ? new CheckInCodeInvalidError() : new NotAttendingError();
    if (row.seat !== 'confirmed') throw new NotAttendingError();
    if (row.checked_in_at) {
      return {
        memberId: row.member_id,
        checkedInAt: row.checked_in_at.toISOString(),
        method: row.check_in_method ?? method,
        alreadyCheckedIn: true,
      };
    }
    await client.query(
      'UPDATE rsvps SET checked_in_at = $3, check_in_method = $4, updated_at = $3 WHERE event_id = $1 AND member_id = $2',
      [eventId, row.member_id, now, method],
    );
    const counts = await seatCountsOf(client, eventId);
    await appendToOutbox(
      client,
      newEvent(
        attendanceRecordedV1,
        {
          eventId,
          communityId,
          memberId: row.member_id,
          method,
          checkedInBy: actorId,
          attendedCount: counts.attended,
          goingCount: counts.confirmed,
          capacity: event.capacity,
          occurredAt: now.toISOString(),
        },
        { source: SOURCE, communityId, occurredAt: now },
      ),
    );
    return { memberId: row.member_id, checkedInAt: now.toISOString(), method, alreadyCheckedIn: false };
  });
  if (!result.alreadyCheckedIn) deps.wakeRelay();
  return result;
}
