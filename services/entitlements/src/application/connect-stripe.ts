import { findStripeAccount, saveStripeAccount } from '../adapters/postgres/stripe-repository.ts';
import { StripeNotConfiguredError } from '../domain/errors.ts';
import type { Deps } from '../ports.ts';
import { requireCommunity, requireRole } from './authorize.ts';

/**
 * Owner or admin: the Connect onboarding link. The Express account is created once per
 * community (an idempotency key makes concurrent first calls get the same one) and stored;
 * each call returns a fresh Account Link, since links are single-use and expire.
 */
export async function connectStripe(
  deps: Deps,
  input: { actorId: string; slug: string; refreshUrl: string; returnUrl: string },
): Promise<{ url: string }> {
  const community = await requireCommunity(deps.pool, input.slug);
  await requireRole(deps.pool, community.id, input.actorId);
  // Only after the role check: a member must not learn (or be told) how billing is set up.
  const stripe = deps.stripe;
  if (!stripe) throw new StripeNotConfiguredError();
  let accountId = (await findStripeAccount(deps.pool, community.id))?.accountId;
  if (!accountId) {
    const created = await stripe.createConnectedAccount({ communityId: community.id });
    accountId = await saveStripeAccount(deps.pool, community.id, created.accountId);
  }
  return stripe.createAccountLink({ accountId, refreshUrl: input.refreshUrl, returnUrl: input.returnUrl });
}
