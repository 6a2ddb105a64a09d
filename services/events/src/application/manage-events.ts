import {
  type CommunityEvent,
  eventCancelledV1,
  eventScheduledV1,
  type eventsRpc,
  eventUpdatedV1,
} from '@coterie/contracts';
import { type PoolClient, withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import {
  type EventRow,
  insertEvent,
  lockEvent,
  saveEvent,
  seatCountsOf,
} from '../adapters/postgres/events-repository.ts';
import { dropLeadReminders, scheduleReminder } from '../adapters/postgres/reminders-repository.ts';
import { rsvpsOfEvent } from '../adapters/postgres/rsvps-repository.ts';
import { isHost } from '../domain/access.ts';
import {
  CapacityTooSmallError,
  EventCancelledError,
  EventNotFoundError,
  NotAHostError,
  StripeNotConfiguredError,
  StripeNotConnectedError,
} from '../domain/errors.ts';
import { checkSchedule } from '../domain/schedule.ts';
import type { Deps } from '../ports.ts';
import { SOURCE } from '../ports.ts';
import { eventView } from './event-view.ts';
import { runMaintenanceOnce } from './maintenance.ts';
import {
  clearSeat,
  expireCheckouts,
  newEffects,
  promoteWaitlist,
  publishSeatChanges,
  scheduleLeadReminders,
} from './seats.ts';

type CreateInput = z.infer<typeof eventsRpc.createEvent.request>;
type UpdateInput = z.infer<typeof eventsRpc.updateEvent.request>;
type CancelInput = z.infer<typeof eventsRpc.cancelEvent.request>;

async function requireHost(deps: Deps, communityId: string, actorId: string) {
  const access = await deps.access.check(communityId, actorId);
  if (!isHost(access)) throw new NotAHostError();
  return access;
}

function facts(e: EventRow, now: Date) {
  return {
    eventId: e.id,
    communityId: e.community_id,
    title: e.title,
    startsAt: e.starts_at.toISOString(),
    endsAt: e.ends_at.toISOString(),
    timezone: e.timezone,
    locationKind: e.location_kind,
    capacity: e.capacity,
    minTierRank: e.min_tier_rank,
    ticket:
      e.ticket_amount && e.ticket_currency ? { value: e.ticket_amount, currency: e.ticket_currency } : null,
    sequence: e.sequence,
    occurredAt: now.toISOString(),
  };
}

/** A host schedules an event; a ticketed one needs Stripe and the community's connected account. */
export async function createEvent(deps: Deps, input: CreateInput): Promise<CommunityEvent> {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  checkSchedule(startsAt, endsAt);
  const access = await requireHost(deps, input.communityId, input.actorId);
  if (input.ticket) {
    if (!deps.payments) throw new StripeNotConfiguredError();
    if (!(await deps.accounts.accountFor(input.communityId))) throw new StripeNotConnectedError();
  }
  const now = deps.clock.now();
  const row: EventRow = {
    id: uuidv7(),
    community_id: input.communityId,
    title: input.title,
    description: input.description,
    starts_at: startsAt,
    ends_at: endsAt,
    timezone: input.timezone,
    location_kind: input.location.kind,
    location_url: input.location.kind === 'online' ? (input.location.url ?? null) : null,
    location_address: input.location.address ?? null,
    capacity: input.capacity ?? null,
    min_tier_rank: input.minTierRank ?? null,
    ticket_amount: input.ticket?.value ?? null,
    ticket_currency: input.ticket?.currency ?? null,
    status: 'scheduled',
    sequence: 0,
    waitlist_seq: '0',
    created_by: input.actorId,
    created_at: now,
    updated_at: now,
    cancelled_at: null,
    cancel_reason: null,
  };
  await withTransaction(deps.pool, async (client) => {
    await insertEvent(client, row);
    await appendToOutbox(
      client,
      newEvent(
        eventScheduledV1,
        { ...facts(row, now), createdBy: input.actorId },
        { source: SOURCE, communityId: row.community_id, occurredAt: now },
      ),
    );
  });
  deps.wakeRelay();
  return eventView(deps.pool, row, { confirmed: 0, held: 0, waitlisted: 0, attended: 0 }, access, undefined);
}

/**
 * A host changes an event. SEQUENCE goes up on every change; a new start re-plans every
 * attendee's reminders; more capacity promotes from the waitlist; capacity below the seats
 * already taken is refused (nobody loses a seat they had). The ticket price never changes.
 */
export async function updateEvent(deps: Deps, input: UpdateInput): Promise<CommunityEvent> {
  const access = await requireHost(deps, input.communityId, input.actorId);
  const now = deps.clock.now();
  const { patch } = input;
  const result = await withTransaction(deps.pool, async (client) => {
    const event = await lockEvent(client, input.communityId, input.eventId);
    if (!event) throw new EventNotFoundError();
    if (event.status === 'cancelled') throw new EventCancelledError();
    const before = { ...event };
    const changed: string[] = [];
    const set = <K extends keyof EventRow>(key: K, value: EventRow[K], name: string) => {
      const same =
        value instanceof Date && event[key] instanceof Date
          ? (value as Date).getTime() === (event[key] as Date).getTime()
          : value === event[key];
      if (!same) {
        event[key] = value;
        changed.push(name);
      }
    };
    if (patch.title !== undefined) set('title', patch.title, 'title');
    if (patch.description !== undefined) set('description', patch.description, 'description');
    if (patch.startsAt !== undefined) set('starts_at', new Date(patch.startsAt), 'startsAt');
    if (patch.endsAt !== undefined) set('ends_at', new Date(patch.endsAt), 'endsAt');
    if (patch.timezone !== undefined) set('timezone', patch.timezone, 'timezone');
    if (patch.location !== undefined) {
      set('location_kind', patch.location.kind, 'location');
      set('location_url', patch.location.kind === 'online' ? (patch.location.url ?? null) : null, 'location');
      set('location_address', patch.location.address ?? null, 'location');
    }
    if (patch.capacity !== undefined) set('capacity', patch.capacity, 'capacity');
    if (patch.minTierRank !== undefined) set('min_tier_rank', patch.minTierRank, 'minTierRank');
    checkSchedule(event.starts_at, event.ends_at);
    const counts = await seatCountsOf(client, event.id);
    if (event.capacity !== null && event.capacity < counts.confirmed + counts.held) {
      throw new CapacityTooSmallError(counts.confirmed + counts.held);
    }
    const effects = newEffects();
    if (changed.length > 0) {
      event.sequence += 1;
      event.updated_at = now;
      await saveEvent(client, event);
      if (before.starts_at.getTime() !== event.starts_at.getTime()) {
        await dropLeadReminders(client, event.id, null);
        for (const r of await rsvpsOfEvent(client, event.id, ['going'])) {
          if (r.seat === 'confirmed') await scheduleLeadReminders(client, event, r.member_id, now);
        }
      }
      await promoteWaitlist(client, deps, event, now, effects);
      await appendToOutbox(
        client,
        newEvent(
          eventUpdatedV1,
          { ...facts(event, now), updatedBy: input.actorId, changed: [...new Set(changed)] },
          { source: SOURCE, communityId: event.community_id, occurredAt: now },
        ),
      );
      await publishSeatChanges(client, event, effects, now);
    }
    return { event, counts: await seatCountsOf(client, event.id) };
  });
  deps.wakeRelay();
  return eventView(deps.pool, result.event, result.counts, access, undefined);
}

/**
 * A host cancels: STATUS:CANCELLED with a new SEQUENCE in every feed, a mail to everyone who
 * said going or maybe, and every paid ticket refunded (recorded here, sent to Stripe by the
 * maintenance loop, which retries until Stripe confirms). Cancelling twice changes nothing.
 */
export async function cancelEvent(deps: Deps, input: CancelInput): Promise<CommunityEvent> {
  const access = await requireHost(deps, input.communityId, input.actorId);
  const now = deps.clock.now();
  const effects = newEffects();
  const result = await withTransaction(deps.pool, async (client) => {
    const event = await lockEvent(client, input.communityId, input.eventId);
    if (!event) throw new EventNotFoundError();
    if (event.status === 'cancelled') return { event, counts: await seatCountsOf(client, event.id) };
    const countsBefore = await seatCountsOf(client, event.id);
    event.status = 'cancelled';
    event.sequence += 1;
    event.updated_at = now;
    event.cancelled_at = now;
    event.cancel_reason = input.reason ?? null;
    await saveEvent(client, event);
    await dropLeadReminders(client, event.id, null);
    const refunds = await refundAndNotify(client, event, now, effects);
    await appendToOutbox(
      client,
      newEvent(
        eventCancelledV1,
        {
          ...facts(event, now),
          cancelledBy: input.actorId,
          reason: event.cancel_reason,
          goingCount: countsBefore.confirmed,
          heldCount: countsBefore.held,
          waitlistCount: countsBefore.waitlisted,
          capacity: event.capacity,
          refunds,
        },
        { source: SOURCE, communityId: event.community_id, occurredAt: now },
      ),
    );
    return { event, counts: countsBefore };
  });
  deps.wakeRelay();
  await expireCheckouts(deps, effects.expireCheckouts);
  // Refunds go out now; whatever fails is retried by the loop.
  await runMaintenanceOnce(deps, { reminders: false, holds: false }).catch((error) =>
    deps.logger.warn({ err: error }, 'refunds after a cancellation will be retried'),
  );
  return eventView(deps.pool, result.event, result.counts, access, undefined);
}

async function refundAndNotify(
  client: PoolClient,
  event: EventRow,
  now: Date,
  effects: ReturnType<typeof newEffects>,
): Promise<number> {
  let refunds = 0;
  for (const r of await rsvpsOfEvent(client, event.id, ['going', 'maybe'])) {
    await scheduleReminder(client, {
      dedupeKey: `cancelled:${event.id}:${r.member_id}`,
      eventId: event.id,
      memberId: r.member_id,
      kind: 'cancelled',
      dueAt: now,
    });
    if (r.seat === 'confirmed' && r.payment_intent_id) refunds += 1;
    if (r.seat === 'held' && r.checkout_session_id) effects.expireCheckouts.push(r.checkout_session_id);
    if (r.seat === 'confirmed' && r.payment_intent_id) {
      // Keeps the RSVP as history; only the payment is given back.
      const copy = { ...r };
      await clearSeat(client, event, copy, 'event-cancelled', newEffects());
    }
  }
  return refunds;
}
