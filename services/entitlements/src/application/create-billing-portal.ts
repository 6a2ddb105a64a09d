import { findStripeCustomer } from '../adapters/postgres/stripe-repository.ts';
import { StripeCustomerNotFoundError, StripeNotConfiguredError } from '../domain/errors.ts';
import type { Deps } from '../ports.ts';
import { requireCommunity } from './authorize.ts';

/**
 * The Stripe customer portal for the caller (cancel, change card, invoices). A member has one
 * platform-wide customer, so the portal lists their subscriptions of every community.
 */
export async function createBillingPortal(
  deps: Deps,
  input: { actorId: string; slug: string; returnUrl: string },
): Promise<{ url: string }> {
  const stripe = deps.stripe;
  if (!stripe) throw new StripeNotConfiguredError();
  await requireCommunity(deps.pool, input.slug);
  const customerId = await findStripeCustomer(deps.pool, input.actorId);
  if (!customerId) throw new StripeCustomerNotFoundError();
  return stripe.createBillingPortalSession({ customerId, returnUrl: input.returnUrl });
}
