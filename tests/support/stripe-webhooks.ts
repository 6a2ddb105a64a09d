import type { App } from '@coterie/gateway';
import type { StripeDouble, StripeObject } from './stripe-double.ts';

/** Stripe → the gateway's webhook route (in-process), signed as Stripe does; the HTTP status. */
export async function deliverStripeEvent(
  gateway: App,
  stripe: StripeDouble,
  type: string,
  object: StripeObject,
): Promise<number> {
  const { payload, header } = stripe.sign(stripe.event(type, object));
  const res = await gateway.fastify.inject({
    method: 'POST',
    url: '/v1/webhooks/stripe',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    payload,
  });
  return res.statusCode;
}
