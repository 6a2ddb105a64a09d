import { stripeEventReceived } from '@coterie/contracts';
import type { ConsumerSpec } from '@coterie/service-kit';
import {
  applyStripeEvent,
  applyStripeEvents,
  STRIPE_CONSUMER,
} from '../../application/apply-stripe-event.ts';
import type { TippingDeps } from '../../ports.ts';

export const tippingStripeEventReceived = stripeEventReceived('tipping');

/**
 * Verified Stripe webhooks the gateway stored on the TIPPING stream (durable, inbox-deduplicated).
 * A burst is booked a batch per transaction; a few batches at once, as each holds its tips' locks.
 */
export function stripeEventsConsumer(deps: TippingDeps): ConsumerSpec {
  return {
    context: 'tipping',
    durable: STRIPE_CONSUMER,
    events: [tippingStripeEventReceived],
    maxConcurrency: 4,
    handle: (event) => applyStripeEvent(deps, tippingStripeEventReceived.parse(event)),
    handleBatch: (items) =>
      applyStripeEvents(
        deps,
        items.map((item) => ({
          envelope: tippingStripeEventReceived.parse(item.event),
          inTrace: item.inTrace,
        })),
      ),
  };
}
