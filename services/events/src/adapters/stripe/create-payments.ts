import type Stripe from 'stripe';
import type { Payments } from '../../ports.ts';

/**
 * Ticket payments: Checkout in payment mode as a destination charge to the community's
 * connected account with the platform's fee; refunds pull the transfer and the fee back.
 */
export function createPayments(stripe: Stripe): Payments {
  return {
    async createCheckout(r) {
      const metadata = {
        coterie_context: 'events',
        event_id: r.eventId,
        member_id: r.memberId,
        community_id: r.communityId,
      };
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: { currency: r.currency, unit_amount: r.amount, product_data: { name: r.title } },
            },
          ],
          payment_intent_data: {
            application_fee_amount: r.feeAmount,
            transfer_data: { destination: r.destination },
            metadata,
          },
          metadata,
          client_reference_id: r.memberId,
          expires_at: Math.floor(r.expiresAt.getTime() / 1000),
          success_url: r.successUrl,
          cancel_url: r.cancelUrl,
        },
        { idempotencyKey: r.idempotencyKey },
      );
      if (!session.url) throw new Error('Stripe returned a checkout session without a url');
      return { id: session.id, url: session.url };
    },
    async expireCheckout(sessionId) {
      await stripe.checkout.sessions.expire(sessionId);
    },
    async refund(paymentIntentId, idempotencyKey) {
      const refund = await stripe.refunds.create(
        { payment_intent: paymentIntentId, reverse_transfer: true, refund_application_fee: true },
        { idempotencyKey },
      );
      return { id: refund.id };
    },
  };
}
