import Stripe from 'stripe';
import type { Config } from '../../config.ts';
import type { PaymentIntents } from '../../ports.ts';

/** The Stripe SDK, pointed at `STRIPE_API_HOST/PORT/PROTOCOL` when set (tests: the local double). */
export function createStripeClient(config: Config): Stripe | undefined {
  if (!config.STRIPE_SECRET_KEY) return undefined;
  return new Stripe(config.STRIPE_SECRET_KEY, {
    ...(config.STRIPE_API_HOST ? { host: config.STRIPE_API_HOST } : {}),
    ...(config.STRIPE_API_PORT ? { port: config.STRIPE_API_PORT } : {}),
    ...(config.STRIPE_API_PROTOCOL ? { protocol: config.STRIPE_API_PROTOCOL } : {}),
    maxNetworkRetries: 2,
    timeout: 10_000,
    appInfo: { name: 'coterie-tipping' },
  });
}

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
