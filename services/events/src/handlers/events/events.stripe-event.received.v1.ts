import type { Envelope } from '@coterie/contracts';
import { stripeEventReceived } from '@coterie/contracts';
import {
  applyCheckoutCompleted,
  applyCheckoutExpired,
  type CheckoutSession,
} from '../../application/apply-checkout.ts';
import type { Deps } from '../../ports.ts';

const def = stripeEventReceived('events');

/**
 * Stripe webhooks for ticket checkouts (metadata `coterie_context: events`), verified and
 * stored by the gateway. A handler per Stripe event type; other types are acknowledged.
 */
export function onStripeEvent(deps: Deps, consumer: string) {
  const handlers: Record<string, (envelope: Envelope, session: CheckoutSession) => Promise<void>> = {
    'checkout.session.completed': (envelope, session) =>
      applyCheckoutCompleted(deps, consumer, envelope, session),
    'checkout.session.expired': (envelope, session) =>
      applyCheckoutExpired(deps, consumer, envelope, session),
  };
  return async (envelope: Envelope): Promise<void> => {
    const { event } = def.data.parse(envelope.data);
    const handler = handlers[event.type];
    if (!handler) return;
    const session = event.data.object as unknown as CheckoutSession;
    if (typeof session.id !== 'string') return;
    await handler(envelope, session);
  };
}
