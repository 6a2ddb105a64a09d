import type { CommunityEvent, RsvpResult } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';
import type { EventRow, SeatCounts } from '../adapters/postgres/events-repository.ts';
import { type RsvpRow, waitlistPosition } from '../adapters/postgres/rsvps-repository.ts';
import { canSeeUrl, isHost, type ViewerAccess } from '../domain/access.ts';

/** The RSVP as its member sees it (position computed from the live waitlist). */
export async function rsvpResult(db: Queryable, row: RsvpRow): Promise<RsvpResult> {
  const result: RsvpResult = { status: row.status, waitlisted: row.seat === 'waitlisted', seat: row.seat };
  if (row.seat === 'waitlisted' && row.waitlist_no) {
    result.position = await waitlistPosition(db, row.event_id, row.waitlist_no);
  }
  if (row.seat === 'held') {
    result.ticket = {
      status: 'pending',
      checkoutUrl: row.checkout_url,
      expiresAt: row.hold_expires_at?.toISOString() ?? null,
    };
  } else if (row.seat === 'confirmed' && row.payment_intent_id) {
    result.ticket = { status: 'paid', checkoutUrl: null, expiresAt: null };
  }
  return result;
}

export async function eventView(
  db: Queryable,
  event: EventRow,
  counts: SeatCounts,
  viewer: ViewerAccess | null,
  rsvp: RsvpRow | undefined,
): Promise<CommunityEvent> {
  const showUrl = canSeeUrl(viewer, rsvp?.seat ?? null);
  const view: CommunityEvent = {
    id: event.id,
    communityId: event.community_id,
    title: event.title,
    description: event.description,
    startsAt: event.starts_at.toISOString(),
    endsAt: event.ends_at.toISOString(),
    timezone: event.timezone,
    location: {
      kind: event.location_kind,
      url: showUrl ? event.location_url : null,
      address: event.location_address,
      urlHidden: !showUrl && event.location_url !== null,
    },
    capacity: event.capacity,
    minTierRank: event.min_tier_rank,
    ticket:
      event.ticket_amount && event.ticket_currency
        ? { value: event.ticket_amount, currency: event.ticket_currency }
        : null,
    status: event.status,
    sequence: event.sequence,
    goingCount: counts.confirmed + counts.held,
    waitlistCount: counts.waitlisted,
    seatsLeft: event.capacity === null ? null : Math.max(0, event.capacity - counts.confirmed - counts.held),
    createdBy: event.created_by,
    createdAt: event.created_at.toISOString(),
    updatedAt: event.updated_at.toISOString(),
    cancelledAt: event.cancelled_at?.toISOString() ?? null,
  };
  if (viewer) {
    view.viewer = {
      isHost: isHost(viewer),
      rsvp: rsvp
        ? {
            ...(await rsvpResult(db, rsvp)),
            checkInCode: rsvp.seat === 'confirmed' ? rsvp.check_in_code : null,
            checkedInAt: rsvp.checked_in_at?.toISOString() ?? null,
          }
        : null,
    };
  }
  return view;
}
