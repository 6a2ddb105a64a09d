import { findStripeAccount, findStripeCustomer } from '../adapters/postgres/stripe-repository.ts';
import { hasLiveSubscription } from '../adapters/postgres/subscriptions-repository.ts';
import { findTier } from '../adapters/postgres/tiers-repository.ts';
import {
  AlreadySubscribedError,
  StripeAccountMissingError,
  StripeAccountNotReadyError,
  StripeNotConfiguredError,
  TierNotFoundError,
  TierNotPricedError,
} from '../domain/errors.ts';
import type { Deps } from '../ports.ts';
import { requireCommunity } from './authorize.ts';
import { ensureTierPrice } from './ensure-tier-price.ts';

export interface CreateCheckoutInput {
  actorId: string;
  slug: string;
  tierId: string;
  successUrl: string;
  cancelUrl: string;
}

/** Metadata on the session *and* the subscription, so every later webhook says whose it is. */
export function subscriptionMetadata(ids: { memberId: string; communityId: string; tierId: string }) {
  return {
    coterie_context: 'entitlements',
    coterie_member_id: ids.memberId,
    coterie_community_id: ids.communityId,
    coterie_tier_id: ids.tierId,
  };
}

/**
 * A Checkout Session in subscription mode, as a Connect destination charge: the platform takes
 * `PLATFORM_FEE_BPS` as `application_fee_percent` and the rest goes to the community's account.
 * The membership follows from the webhooks, never from the browser coming back.
 */
export async function createCheckout(deps: Deps, input: CreateCheckoutInput): Promise<{ url: string }> {
  const stripe = deps.stripe;
  if (!stripe) throw new StripeNotConfiguredError();
  const community = await requireCommunity(deps.pool, input.slug);
  const tier = await findTier(deps.pool, community.id, input.tierId);
  if (!tier) throw new TierNotFoundError(input.tierId);
  if (!tier.price) throw new TierNotPricedError();
  const account = await findStripeAccount(deps.pool, community.id);
  if (!account) throw new StripeAccountMissingError();
  if (!account.chargesEnabled) throw new StripeAccountNotReadyError();
  if (await hasLiveSubscription(deps.pool, community.id, input.actorId, tier.id)) {
    throw new AlreadySubscribedError();
  }
  const priceId = (await ensureTierPrice(deps, tier)) as string;
  const customerId = await findStripeCustomer(deps.pool, input.actorId);
  return stripe.createCheckoutSession({
    priceId,
    customerId,
    destinationAccountId: account.accountId,
    // Stripe takes a percentage with up to two decimals: 500 bps = 5 %.
    applicationFeePercent: deps.platformFeeBps / 100,
    successUrl: input.successUrl,
    cancelUrl: input.cancelUrl,
    clientReferenceId: input.actorId,
    metadata: subscriptionMetadata({ memberId: input.actorId, communityId: community.id, tierId: tier.id }),
  });
}
