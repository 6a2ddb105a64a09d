import { saveTierStripeIds, type TierRecord } from '../adapters/postgres/tiers-repository.ts';
import type { Deps } from '../ports.ts';

/**
 * The Stripe Price of a priced tier, created (with its Product) the first time it is needed.
 * Idempotency keys name the tier and the price, so a retry after a crash or a concurrent caller
 * gets the same objects from Stripe. Undefined for a tier without a price or without Stripe.
 */
export async function ensureTierPrice(deps: Deps, tier: TierRecord): Promise<string | undefined> {
  if (!deps.stripe || !tier.price) return undefined;
  if (tier.stripePriceId) return tier.stripePriceId;
  const ids = await deps.stripe.createProductAndPrice({
    tierId: tier.id,
    communityId: tier.communityId,
    name: tier.name,
    price: tier.price,
    productId: tier.stripeProductId,
  });
  await saveTierStripeIds(deps.pool, tier.id, tier.price, ids);
  return ids.priceId;
}
