import type { eventsRpc, RsvpResult } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import type { z } from 'zod';
import { type EventRow, lockEvent } from '../adapters/postgres/events-repository.ts';
import { findRsvp, type RsvpRow } from '../adapters/postgres/rsvps-repository.ts';
import { canSee } from '../domain/access.ts';
import {
  EventCancelledError,
  EventEndedError,
  EventNotFoundError,
  StripeNotConfiguredError,
  StripeNotConnectedError,
  StripeUnavailableError,
} from '../domain/errors.ts';
import type { Deps } from '../ports.ts';
import { rsvpResult } from './event-view.ts';
import { applyRsvp, expireCheckouts, newEffects, publishSeatChanges } from './seats.ts';

type RsvpInput = z.infer<typeof eventsRpc.rsvp.request>;

/**
 * going / maybe / declined. Repeating an RSVP changes nothing. When the event is full, `going`
 * joins the FIFO waitlist; leaving a seat promotes the head of the waitlist in the same
 * transaction. On a ticketed event `going` holds a seat and answers with a Checkout URL; the
 * seat is confirmed by Stripe's `checkout.session.completed`.
 */
export async function rsvp(deps: Deps, input: RsvpInput): Promise<RsvpResult> {
  const access = await deps.access.check(input.communityId, input.actorId);
  const now = deps.clock.now();
  const effects = newEffects();
  const { event, row } = await withTransaction(deps.pool, async (client) => {
    const event = await lockEvent(client, input.communityId, input.eventId);
    if (!event || !canSee(event.min_tier_rank, access)) throw new EventNotFoundError();
    if (event.status === 'cancelled') throw new EventCancelledError();
    if (event.ends_at.getTime() <= now.getTime()) throw new EventEndedError();
    await applyRsvp(client, deps, event, input.actorId, input.status, 'member', now, effects);
    await publishSeatChanges(client, event, effects, now);
    return { event, row: (await findRsvp(client, event.id, input.actorId)) as RsvpRow };
  });
  if (effects.changes.length > 0) deps.wakeRelay();
  await expireCheckouts(deps, effects.expireCheckouts);
  if (row.seat === 'held' && !row.checkout_session_id) {
    return rsvpResult(deps.pool, await openCheckout(deps, event, row));
  }
  return rsvpResult(deps.pool, row);
}

/**
 * Opens the Stripe Checkout for a held seat (payment mode, destination charge to the
 * community's connected account, platform fee) and restarts the hold for the session's
 * lifetime. Two concurrent calls use one idempotency key, so Stripe makes one session.
 */
async function openCheckout(deps: Deps, event: EventRow, row: RsvpRow): Promise<RsvpRow> {
  if (!deps.payments) throw new StripeNotConfiguredError();
  const destination = await deps.accounts.accountFor(event.community_id);
  if (!destination) throw new StripeNotConnectedError();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.ticketHoldMs);
  const amount = Number(event.ticket_amount);
  let session: { id: string; url: string };
  try {
    session = await deps.payments.createCheckout({
      eventId: event.id,
      communityId: event.community_id,
      memberId: row.member_id,
      title: event.title,
      amount,
      currency: event.ticket_currency as string,
      feeAmount: Math.floor((amount * deps.platformFeeBps) / 10_000),
      destination,
      expiresAt,
      successUrl: `${deps.appOrigin}/events/${event.id}?checkout=success`,
      cancelUrl: `${deps.appOrigin}/events/${event.id}?checkout=cancelled`,
      idempotencyKey: `ticket:${event.id}:${row.member_id}:${row.hold_expires_at?.getTime()}`,
    });
  } catch (error) {
    throw new StripeUnavailableError((error as Error).message);
  }
  return withTransaction(deps.pool, async (client) => {
    await lockEvent(client, event.community_id, event.id);
    const current = await findRsvp(client, event.id, row.member_id);
    if (current?.seat !== 'held') return current ?? row;
    if (current.checkout_session_id) return current;
    await client.query(
      `UPDATE rsvps SET checkout_session_id = $3, checkout_url = $4, hold_expires_at = $5, updated_at = $6
       WHERE event_id = $1 AND member_id = $2`,
      [event.id, row.member_id, session.id, session.url, expiresAt, now],
    );
    return (await findRsvp(client, event.id, row.member_id)) as RsvpRow;
  });
}
