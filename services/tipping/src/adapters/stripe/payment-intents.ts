import type Stripe from 'stripe';
import type { PaymentIntents } from '../../ports.ts';

/**
 * PaymentIntents as Connect destination charges: the tipper pays the platform, Stripe moves the
 * amount less `application_fee_amount` to the community's connected account.
 */
export function createPaymentIntents(stripe: Stripe): PaymentIntents {
  return {
    async create(input) {
      const intent = await stripe.paymentIntents.create(
        {
          amount: Number(input.amount),
          currency: input.currency,
          automatic_payment_methods: { enabled: true },
          application_fee_amount: Number(input.applicationFee),
          transfer_data: { destination: input.destination },
          description: input.description,
          metadata: input.metadata,
        },
        { idempotencyKey: input.idempotencyKey },
      );
      if (!intent.client_secret) throw new Error(`PaymentIntent ${intent.id} has no client_secret`);
      return { id: intent.id, clientSecret: intent.client_secret };
    },
  };
}
