import { type EventData, eventsRpc, rsvpChangedV1, stripeEventReceived } from '@coterie/contracts';
import { deterministicEventId, newEvent } from '@coterie/messaging';
import { eventually } from '@coterie/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeDouble, StripeObject } from '../../../../tests/support/stripe-double.ts';
import { type EventsHarness, startEvents } from './harness.ts';

let h: EventsHarness;
let stripe: StripeDouble;
beforeAll(async () => {
  h = await startEvents({ stripe: true });
  stripe = h.stripe as StripeDouble;
});
afterAll(() => h?.close());

const received = stripeEventReceived('events');

/** Delivers a Stripe event the way the gateway stores it, `times` times (bypassing JetStream's dedupe window). */
async function deliver(type: string, object: StripeObject, times = 1): Promise<void> {
  const event = stripe.event(type, object);
  const envelope = newEvent(
    received,
    { event: event as unknown as EventData<typeof received>['event'] },
    { source: 'gateway', id: deterministicEventId(`stripe:${event.id}`) },
  );
  const js = jetstream(h.nc);
  for (let i = 0; i < times; i++) {
    await js.publish(h.naming.subject(received.subject), JSON.stringify(envelope));
  }
}

const sessionOf = (url: string | null | undefined) => {
  const id = /\/pay\/(cs_test_[0-9a-f]+)$/.exec(url ?? '')?.[1];
  return stripe.objects.get(id as string) as StripeObject;
};

describe('paid tickets', () => {
  it('holds the seat during checkout, confirms it once per webhook, releases it on expiry, refunds on cancellation', async () => {
    const { communityId, ownerId, memberIds } = h.community(3);
    const [a, b, c] = memberIds as [string, string, string];
    h.accounts.set(communityId, 'acct_1Creator');
    const { event } = await h.createEvent(ownerId, communityId, {
      title: 'Masterclass',
      capacity: 2,
      ticket: { value: '1500', currency: 'eur' },
    });
    const rsvp = (actorId: string, status: 'going' | 'declined' = 'going') =>
      h.rpc.call(eventsRpc.rsvp, { actorId, communityId, eventId: event.id, status });

    const first = await rsvp(a);
    expect(first).toMatchObject({
      status: 'going',
      seat: 'held',
      waitlisted: false,
      ticket: { status: 'pending' },
    });
    const expiresAt = new Date(first.ticket?.expiresAt as string).getTime();
    expect(expiresAt - Date.now()).toBeGreaterThan(30 * 60_000);
    const created = stripe.requests.filter((r) => r.path === '/v1/checkout/sessions');
    expect(created).toHaveLength(1);
    expect(created[0]?.body).toMatchObject({
      mode: 'payment',
      line_items: [{ quantity: '1', price_data: { currency: 'eur', unit_amount: '1500' } }],
      payment_intent_data: {
        application_fee_amount: '150',
        transfer_data: { destination: 'acct_1Creator' },
        metadata: { coterie_context: 'events', event_id: event.id, member_id: a },
      },
      metadata: { coterie_context: 'events', event_id: event.id, member_id: a, community_id: communityId },
      expires_at: String(Math.floor(expiresAt / 1000)),
    });
    expect(created[0]?.idempotencyKey).toMatch(/^ticket:/);

    // Asking again reuses the open checkout; the held seat does not reveal the URL.
    expect((await rsvp(a)).ticket?.checkoutUrl).toBe(first.ticket?.checkoutUrl);
    expect(stripe.requests.filter((r) => r.path === '/v1/checkout/sessions')).toHaveLength(1);
    const held = await h.rpc.call(eventsRpc.getEvent, { communityId, eventId: event.id, viewerId: a });
    expect(held.event.location.url).toBeNull();

    const second = await rsvp(b);
    expect(second.seat).toBe('held');
    expect(await rsvp(c)).toMatchObject({ waitlisted: true, position: 1 });

    // Paid: delivered 10 times, confirmed once.
    const sessionA = sessionOf(first.ticket?.checkoutUrl);
    await deliver(
      'checkout.session.completed',
      {
        ...sessionA,
        status: 'complete',
        payment_status: 'paid',
        payment_intent: 'pi_ticketA',
        amount_total: 1500,
        currency: 'eur',
      },
      10,
    );
    await eventually(async () => {
      const v = await h.rpc.call(eventsRpc.getEvent, { communityId, eventId: event.id, viewerId: a });
      if (!(v.event.viewer?.rsvp?.seat === 'confirmed')) throw new Error('not yet');
      return v;
    }).then((v) => {
      expect(v.event.viewer?.rsvp?.ticket).toEqual({ status: 'paid', checkoutUrl: null, expiresAt: null });
      expect(v.event.location.url).toBe('https://meet.example.org/secret-room');
    });
    // All ten deliveries handled (none pending), one inbox claim.
    const jsm = await jetstreamManager(h.nc);
    await eventually(async () => {
      const info = await jsm.consumers.info(h.naming.stream('events'), h.naming.durable('events--stripe'));
      return info.num_pending + info.num_ack_pending === 0 && info.delivered.stream_seq > 0;
    });
    const claims = await h.app.deps?.pool.query("SELECT 1 FROM inbox WHERE consumer = 'events--stripe'");
    expect(claims?.rowCount).toBe(1);

    // B's checkout expires: the seat goes to C, held for C's own checkout.
    await deliver('checkout.session.expired', {
      ...sessionOf(second.ticket?.checkoutUrl),
      status: 'expired',
    });
    await eventually(async () => {
      const v = await h.rpc.call(eventsRpc.getEvent, { communityId, eventId: event.id, viewerId: c });
      return v.event.viewer?.rsvp?.seat === 'held';
    });
    const bView = await h.rpc.call(eventsRpc.getEvent, { communityId, eventId: event.id, viewerId: b });
    expect(bView.event.viewer?.rsvp).toMatchObject({ status: 'declined', seat: 'none' });
    const cCheckout = await rsvp(c);
    expect(cCheckout).toMatchObject({ seat: 'held', ticket: { status: 'pending' } });
    expect(cCheckout.ticket?.checkoutUrl).toMatch(/\/pay\/cs_test_/);

    const changes = await eventually(async () => {
      const all = (await h.published(rsvpChangedV1.subject))
        .map((e) => rsvpChangedV1.data.parse(e.data))
        .filter((d) => d.eventId === event.id);
      if (!(all.length >= 5)) throw new Error('not yet');
      return all;
    });
    expect(changes.filter((d) => d.cause === 'payment').map((d) => d.memberId)).toEqual([a]);
    expect(changes.filter((d) => d.cause === 'checkout-expired').map((d) => d.memberId)).toEqual([b]);
    expect(changes.filter((d) => d.cause === 'promotion').map((d) => [d.memberId, d.seat])).toEqual([
      [c, 'held'],
    ]);

    // Cancelled: A's ticket is refunded (transfer and fee reversed), once.
    await h.rpc.call(eventsRpc.cancelEvent, { actorId: ownerId, communityId, eventId: event.id });
    await h.app.runMaintenance();
    const refunds = stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]?.body).toEqual({
      payment_intent: 'pi_ticketA',
      reverse_transfer: 'true',
      refund_application_fee: 'true',
    });
    expect(refunds[0]?.idempotencyKey).toMatch(/^refund:/);
  });

  it('a payment that arrives after its seat was given away is refunded', async () => {
    const { communityId, ownerId, memberIds } = h.community(2);
    const [a, b] = memberIds as [string, string];
    h.accounts.set(communityId, 'acct_1Other');
    const { event } = await h.createEvent(ownerId, communityId, {
      capacity: 1,
      ticket: { value: '900', currency: 'usd' },
    });
    const held = await h.rpc.call(eventsRpc.rsvp, {
      actorId: a,
      communityId,
      eventId: event.id,
      status: 'going',
    });
    await h.rpc.call(eventsRpc.rsvp, { actorId: b, communityId, eventId: event.id, status: 'going' });
    await h.rpc.call(eventsRpc.rsvp, { actorId: a, communityId, eventId: event.id, status: 'declined' });
    // B holds the only seat now; A pays for the old session anyway.
    const before = stripe.requests.filter((r) => r.path === '/v1/refunds').length;
    await deliver('checkout.session.completed', {
      ...sessionOf(held.ticket?.checkoutUrl),
      status: 'complete',
      payment_intent: 'pi_late',
      amount_total: 900,
      currency: 'usd',
    });
    await eventually(() => stripe.requests.filter((r) => r.path === '/v1/refunds').length === before + 1);
    expect(stripe.requests.filter((r) => r.path === '/v1/refunds').at(-1)?.body).toMatchObject({
      payment_intent: 'pi_late',
    });
    const bView = await h.rpc.call(eventsRpc.getEvent, { communityId, eventId: event.id, viewerId: b });
    expect(bView.event.viewer?.rsvp?.seat).toBe('held');
  });

  it('refuses a ticketed event when the community has no connected Stripe account', async () => {
    const { communityId, ownerId } = h.community();
    await expect(
      h.createEvent(ownerId, communityId, { ticket: { value: '500', currency: 'usd' } }),
    ).rejects.toMatchObject({ code: 'stripe_account_missing', status: 409 });
  });
});
