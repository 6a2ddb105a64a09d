import type { Envelope } from '@coterie/contracts';
import { handleStripeEvent } from '../../application/handle-stripe-event.ts';
import type { Deps } from '../../ports.ts';

/** A verified Stripe webhook (stored on our stream by the gateway): drives the subscription state machine. */
export function onStripeEventReceived(deps: Deps, consumer: string) {
  return async (event: Envelope): Promise<void> => {
    await handleStripeEvent(deps, event, consumer);
  };
}
