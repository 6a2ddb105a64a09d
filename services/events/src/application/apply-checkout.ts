import type { Envelope } from '@coterie/contracts';
import { handleOnce } from '@coterie/messaging';
import { lockEventById, seatCountsOf } from '../adapters/postgres/events-repository.ts';
import { refundDue } from '../adapters/postgres/refunds-repository.ts';
import { findRsvp, findRsvpByCheckout, saveRsvp } from '../adapters/postgres/rsvps-repository.ts';
import type { Deps } from '../ports.ts';
import { runMaintenanceOnce } from './maintenance.ts';
import {
  applyRsvp,
  expireCheckouts,
  newEffects,
  publishSeatChanges,
  scheduleLeadReminders,
} from './seats.ts';

export interface CheckoutSession {
  id: string;
  payment_intent?: string | { id: string } | null;
  amount_total?: number | null;
  currency?: string | null;
  metadata?: Record<string, string> | null;
}

const paymentIntentOf = (s: CheckoutSession) =>
  typeof s.payment_intent === 'string' ? s.payment_intent : (s.payment_intent?.id ?? null);

/**
 * `checkout.session.completed`: the held seat becomes a confirmed ticket. Exactly once per
 * Stripe event (inbox), and idempotent by state besides. A payment that arrives after its hold
 * was released takes a free seat if there is one, and is refunded if not.
 */
export async function applyCheckoutCompleted(
  deps: Deps,
  consumer: string,
  envelope: Envelope,
  session: CheckoutSession,
): Promise<void> {
  const eventId = session.metadata?.event_id;
  const memberId = session.metadata?.member_id;
  const paymentIntent = paymentIntentOf(session);
  if (!eventId || !memberId || !paymentIntent) {
    deps.logger.warn({ sessionId: session.id }, 'ticket checkout without event, member or payment; ignored');
    return;
  }
  const now = deps.clock.now();
  let refund = false;
  const toExpire: string[] = [];
  const outcome = await handleOnce(deps.pool, consumer, envelope, async (client) => {
    const event = await lockEventById(client, eventId);
    if (!event) return;
    const effects = newEffects();
    const row = await findRsvp(client, eventId, memberId);
    const amount = String(session.amount_total ?? event.ticket_amount ?? '0');
    const currency = session.currency ?? event.ticket_currency ?? 'usd';
    if (row?.seat === 'confirmed' && row.payment_intent_id === paymentIntent) return;
    const holdsThisSession = row?.seat === 'held' && row.checkout_session_id === session.id;
    let seatFree = false;
    if (
      !holdsThisSession &&
      event.status === 'scheduled' &&
      event.ends_at > now &&
      row?.seat !== 'confirmed'
    ) {
      const counts = await seatCountsOf(client, eventId);
      const ownHeld = row?.seat === 'held' ? 1 : 0;
      seatFree = event.capacity === null || counts.confirmed + counts.held - ownHeld < event.capacity;
    }
    if (row && (holdsThisSession || seatFree)) {
      const previous = { status: row.status, seat: row.seat };
      if (row.seat === 'held' && row.checkout_session_id && row.checkout_session_id !== session.id) {
        effects.expireCheckouts.push(row.checkout_session_id);
      }
      Object.assign(row, {
        status: 'going',
        seat: 'confirmed',
        waitlist_no: null,
        hold_expires_at: null,
        checkout_session_id: session.id,
        checkout_url: null,
        payment_intent_id: paymentIntent,
        paid_amount: amount,
        paid_currency: currency,
        updated_at: now,
      });
      await saveRsvp(client, row);
      await scheduleLeadReminders(client, event, memberId, now);
      effects.changes.push({ memberId, previous, after: row, cause: 'payment' });
      await publishSeatChanges(client, event, effects, now);
      toExpire.push(...effects.expireCheckouts);
      return;
    }
    refund = await refundDue(client, {
      eventId,
      memberId,
      paymentIntentId: paymentIntent,
      amount,
      currency,
      reason: 'seat-unavailable',
    });
  });
  if (outcome === 'applied') deps.wakeRelay();
  await expireCheckouts(deps, toExpire);
  if (refund) await runMaintenanceOnce(deps, { reminders: false, holds: false });
}

/** `checkout.session.expired`: the seat held for it is released and the waitlist moves up. */
export async function applyCheckoutExpired(
  deps: Deps,
  consumer: string,
  envelope: Envelope,
  session: CheckoutSession,
): Promise<void> {
  const now = deps.clock.now();
  const outcome = await handleOnce(deps.pool, consumer, envelope, async (client) => {
    const found = await findRsvpByCheckout(client, session.id);
    if (!found) return;
    const event = await lockEventById(client, found.event_id);
    const row = event && (await findRsvp(client, found.event_id, found.member_id));
    if (!event || !row || row.seat !== 'held' || row.checkout_session_id !== session.id) return;
    const effects = newEffects();
    // The session is already closed at Stripe: nothing to expire.
    row.checkout_session_id = null;
    await saveRsvp(client, row);
    await applyRsvp(client, deps, event, row.member_id, 'declined', 'checkout-expired', now, effects);
    await publishSeatChanges(client, event, effects, now);
  });
  if (outcome === 'applied') deps.wakeRelay();
}
