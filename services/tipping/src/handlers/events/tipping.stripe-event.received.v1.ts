import { stripeEventReceived } from '@coterie/contracts';
import type { ConsumerSpec } from '@coterie/service-kit';
import { applyStripeEvent, STRIPE_CONSUMER } from '../../application/apply-stripe-event.ts';
import type { TippingDeps } from '../../ports.ts';

export const tippingStripeEventReceived = stripeEventReceived('tipping');

/** Verified Stripe webhooks the gateway stored on the TIPPING stream (durable, inbox-deduplicated). */
export function stripeEventsConsumer(deps: TippingDeps): ConsumerSpec {
  return {
    context: 'tipping',
    durable: STRIPE_CONSUMER,
    events: [tippingStripeEventReceived],
    handle: (event) => applyStripeEvent(deps, tippingStripeEventReceived.parse(event)),
  };
}
