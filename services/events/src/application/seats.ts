import { rsvpChangedV1 } from '@coterie/contracts';
import type { PoolClient } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { type EventRow, nextWaitlistNo, seatCountsOf } from '../adapters/postgres/events-repository.ts';
import { refundDue } from '../adapters/postgres/refunds-repository.ts';
import { dropLeadReminders, scheduleReminder } from '../adapters/postgres/reminders-repository.ts';
import {
  findRsvp,
  type RsvpRow,
  type RsvpStatus,
  type Seat,
  saveRsvp,
  waitlistHead,
  waitlistPosition,
} from '../adapters/postgres/rsvps-repository.ts';
import { leadRemindersDue } from '../domain/schedule.ts';
import { newCheckInCode } from '../domain/secrets.ts';
import type { Deps } from '../ports.ts';
import { SOURCE } from '../ports.ts';

export type ChangeCause =
  | 'member'
  | 'promotion'
  | 'payment'
  | 'checkout-expired'
  | 'access-lost'
  | 'hold-expired';

export interface SeatChange {
  memberId: string;
  previous: { status: RsvpStatus; seat: Seat } | null;
  after: RsvpRow;
  cause: ChangeCause;
}

/** What a seat transaction decided besides rows: Stripe sessions to close after the commit. */
export interface SeatEffects {
  changes: SeatChange[];
  expireCheckouts: string[];
}

export const newEffects = (): SeatEffects => ({ changes: [], expireCheckouts: [] });

const isPaid = (event: EventRow) => event.ticket_amount !== null;

/**
 * Every function here runs inside a transaction that holds the event's row lock
 * (`lockEvent`): RSVPs of one event are serialised, so counting free seats, numbering the
 * waitlist and promoting from it can never over-book or skip anyone. Other events proceed in
 * parallel. (SERIALIZABLE would also be correct but turns contention on a popular event into
 * retries; the lock turns it into a short queue, in arrival order.)
 */
export async function applyRsvp(
  client: PoolClient,
  deps: Deps,
  event: EventRow,
  memberId: string,
  target: RsvpStatus,
  cause: ChangeCause,
  now: Date,
  effects: SeatEffects,
): Promise<void> {
  const current = await findRsvp(client, event.id, memberId);
  if (current?.status === target) return;
  const previous = current ? { status: current.status, seat: current.seat } : null;
  const row: RsvpRow = current ?? {
    event_id: event.id,
    member_id: memberId,
    status: target,
    seat: 'none',
    waitlist_no: null,
    hold_expires_at: null,
    checkout_session_id: null,
    checkout_url: null,
    payment_intent_id: null,
    paid_amount: null,
    paid_currency: null,
    check_in_code: newCheckInCode(),
    checked_in_at: null,
    check_in_method: null,
    created_at: now,
    updated_at: now,
  };
  if (target === 'going') {
    const counts = await seatCountsOf(client, event.id);
    const free = event.capacity === null || counts.confirmed + counts.held < event.capacity;
    if (free) {
      giveSeat(row, event, deps, now);
    } else {
      row.seat = 'waitlisted';
      row.waitlist_no = await nextWaitlistNo(client, event.id);
    }
    row.status = 'going';
  } else {
    const freed = row.seat === 'confirmed' || row.seat === 'held';
    await clearSeat(client, event, row, cause === 'access-lost' ? 'access-lost' : 'declined', effects);
    row.status = target;
    if (freed) {
      await saveRsvp(client, { ...row, updated_at: now });
      effects.changes.push({ memberId, previous, after: row, cause });
      await promoteWaitlist(client, deps, event, now, effects);
      return;
    }
  }
  row.updated_at = now;
  await saveRsvp(client, row);
  if (row.seat === 'confirmed') await scheduleLeadReminders(client, event, memberId, now);
  effects.changes.push({ memberId, previous, after: row, cause });
}

/** Leaves `row` without a seat: reminders dropped, an open checkout closed, a paid ticket refunded. */
export async function clearSeat(
  client: PoolClient,
  event: EventRow,
  row: RsvpRow,
  refundReason: string,
  effects: SeatEffects,
): Promise<void> {
  if (row.seat === 'confirmed') await dropLeadReminders(client, event.id, row.member_id);
  if (row.seat === 'held' && row.checkout_session_id) effects.expireCheckouts.push(row.checkout_session_id);
  if (row.seat === 'confirmed' && row.payment_intent_id && row.paid_amount && row.paid_currency) {
    await refundDue(client, {
      eventId: event.id,
      memberId: row.member_id,
      paymentIntentId: row.payment_intent_id,
      amount: row.paid_amount,
      currency: row.paid_currency,
      reason: refundReason,
    });
  }
  Object.assign(row, {
    seat: 'none',
    waitlist_no: null,
    hold_expires_at: null,
    checkout_session_id: null,
    checkout_url: null,
    payment_intent_id: null,
    paid_amount: null,
    paid_currency: null,
  });
}

/** A free event confirms the seat at once; a ticketed one holds it for the checkout. */
function giveSeat(row: RsvpRow, event: EventRow, deps: Deps, now: Date): void {
  row.waitlist_no = null;
  if (isPaid(event)) {
    row.seat = 'held';
    row.hold_expires_at = new Date(now.getTime() + deps.ticketHoldMs);
    row.checkout_session_id = null;
    row.checkout_url = null;
  } else {
    row.seat = 'confirmed';
  }
}

/** Moves waitlisted members, oldest first, into the seats that are free now. */
export async function promoteWaitlist(
  client: PoolClient,
  deps: Deps,
  event: EventRow,
  now: Date,
  effects: SeatEffects,
): Promise<void> {
  if (event.status !== 'scheduled' || event.ends_at.getTime() <= now.getTime()) return;
  for (;;) {
    const counts = await seatCountsOf(client, event.id);
    if (event.capacity !== null && counts.confirmed + counts.held >= event.capacity) return;
    const head = await waitlistHead(client, event.id);
    if (!head) return;
    const previous = { status: head.status, seat: head.seat };
    const waitlistNo = head.waitlist_no;
    giveSeat(head, event, deps, now);
    head.updated_at = now;
    await saveRsvp(client, head);
    await scheduleReminder(client, {
      dedupeKey: `promoted:${event.id}:${head.member_id}:${waitlistNo}`,
      eventId: event.id,
      memberId: head.member_id,
      kind: 'promoted',
      dueAt: now,
    });
    if (head.seat === 'confirmed') await scheduleLeadReminders(client, event, head.member_id, now);
    effects.changes.push({ memberId: head.member_id, previous, after: head, cause: 'promotion' });
  }
}

export async function scheduleLeadReminders(
  client: PoolClient,
  event: EventRow,
  memberId: string,
  now: Date,
): Promise<void> {
  for (const { kind, dueAt } of leadRemindersDue(event.starts_at, now)) {
    await scheduleReminder(client, {
      dedupeKey: `${kind}:${event.id}:${memberId}:${event.starts_at.toISOString()}`,
      eventId: event.id,
      memberId,
      kind,
      dueAt,
    });
  }
}

/** One `events.rsvp.changed.v1` per changed RSVP, with the counts after the transaction. */
export async function publishSeatChanges(
  client: PoolClient,
  event: EventRow,
  effects: SeatEffects,
  now: Date,
): Promise<void> {
  if (effects.changes.length === 0) return;
  const counts = await seatCountsOf(client, event.id);
  for (const change of effects.changes) {
    const { after } = change;
    const position =
      after.seat === 'waitlisted' && after.waitlist_no
        ? await waitlistPosition(client, event.id, after.waitlist_no)
        : null;
    await appendToOutbox(
      client,
      newEvent(
        rsvpChangedV1,
        {
          eventId: event.id,
          communityId: event.community_id,
          memberId: change.memberId,
          status: after.status,
          previousStatus: change.previous?.status ?? null,
          seat: after.seat,
          previousSeat: change.previous?.seat ?? null,
          waitlisted: after.seat === 'waitlisted',
          position,
          cause: change.cause,
          goingCount: counts.confirmed,
          heldCount: counts.held,
          waitlistCount: counts.waitlisted,
          capacity: event.capacity,
          occurredAt: now.toISOString(),
        },
        { source: SOURCE, communityId: event.community_id, occurredAt: now },
      ),
    );
  }
}

/** Closes Stripe sessions of released holds; a failure only means the session expires on its own. */
export async function expireCheckouts(deps: Deps, sessionIds: readonly string[]): Promise<void> {
  for (const id of sessionIds) {
    await deps.payments
      ?.expireCheckout(id)
      .catch((error) =>
        deps.logger.warn({ err: error, sessionId: id }, 'could not expire a checkout session'),
      );
  }
}
