import type { StripeObject } from './stripe-double.ts';

/** What Stripe holds once a Checkout Session in subscription mode completed. */
export function stripeSubscription(input: {
  customer: string;
  priceId: string;
  metadata: Record<string, string>;
  status: string;
  amount?: number;
}): StripeObject {
  const now = Math.floor(Date.now() / 1000);
  return {
    id: `sub_${Math.random().toString(36).slice(2, 14)}`,
    object: 'subscription',
    created: now,
    customer: input.customer,
    status: input.status,
    metadata: input.metadata,
    items: {
      object: 'list',
      data: [
        {
          id: `si_${Math.random().toString(36).slice(2, 14)}`,
          object: 'subscription_item',
          current_period_start: now,
          current_period_end: now + 30 * 86_400,
          price: {
            id: input.priceId,
            object: 'price',
            currency: 'usd',
            unit_amount: input.amount ?? 1500,
            recurring: { interval: 'month', interval_count: 1 },
          },
        },
      ],
    },
  };
}

/** An invoice of `subscription` in the 2025+ shape (`parent.subscription_details`). */
export function stripeInvoice(subscription: StripeObject, status: 'paid' | 'open'): StripeObject {
  return {
    id: `in_${Math.random().toString(36).slice(2, 14)}`,
    object: 'invoice',
    customer: subscription.customer,
    status,
    amount_due: 1500,
    currency: 'usd',
    metadata: {},
    parent: {
      type: 'subscription_details',
      subscription_details: { subscription: subscription.id, metadata: subscription.metadata },
    },
  };
}
