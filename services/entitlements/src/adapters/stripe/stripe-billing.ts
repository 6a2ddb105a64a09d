import type { TierPrice } from '@coterie/contracts';
import { createStripeClient } from '@coterie/stripe';

/** A Stripe subscription as the state machine needs it, whatever API version shaped the object. */
export interface StripeSubscriptionState {
  id: string;
  customerId: string | null;
  /** Stripe's own status: incomplete, incomplete_expired, trialing, active, past_due, canceled, unpaid, paused. */
  status: string;
  metadata: Record<string, string>;
  priceId: string | null;
  interval: 'month' | 'year' | null;
  /** Minor units. */
  amount: string | null;
  currency: string | null;
  currentPeriodEnd: Date | null;
}

export interface CheckoutInput {
  priceId: string;
  customerId: string | undefined;
  destinationAccountId: string;
  applicationFeePercent: number;
  successUrl: string;
  cancelUrl: string;
  clientReferenceId: string;
  metadata: Record<string, string>;
}

/** The part of Stripe's API entitlements uses; `createStripeBilling` is the SDK-backed one. */
export interface StripeBilling {
  /** Product and Price of a priced tier; idempotent per tier and price (safe to retry). */
  createProductAndPrice(input: {
    tierId: string;
    communityId: string;
    name: string;
    price: TierPrice;
    productId: string | null;
  }): Promise<{ productId: string; priceId: string }>;
  createCheckoutSession(input: CheckoutInput): Promise<{ url: string }>;
  createBillingPortalSession(input: { customerId: string; returnUrl: string }): Promise<{ url: string }>;
  /** An Express account for the community; idempotent per community. */
  createConnectedAccount(input: { communityId: string }): Promise<{ accountId: string }>;
  createAccountLink(input: {
    accountId: string;
    refreshUrl: string;
    returnUrl: string;
  }): Promise<{ url: string }>;
  /** Undefined when Stripe has no such subscription. */
  retrieveSubscription(id: string): Promise<StripeSubscriptionState | undefined>;
  retrieveAccount(id: string): Promise<{ id: string; chargesEnabled: boolean }>;
}

export interface StripeBillingOptions {
  secretKey: string;
  /** Tests: a local double, e.g. `http://127.0.0.1:12111`. */
  apiBaseUrl?: string | undefined;
}

export function createStripeBilling(options: StripeBillingOptions): StripeBilling {
  const stripe = createStripeClient({ secretKey: options.secretKey, apiBaseUrl: options.apiBaseUrl });

  return {
    async createProductAndPrice({ tierId, communityId, name, price, productId }) {
      const metadata = { coterie_tier_id: tierId, coterie_community_id: communityId };
      const product =
        productId ??
        (
          await stripe.products.create(
            { name, metadata },
            { idempotencyKey: `coterie:tier:${tierId}:product` },
          )
        ).id;
      const created = await stripe.prices.create(
        {
          product,
          currency: price.currency,
          unit_amount: Number(price.value),
          recurring: { interval: price.interval },
          metadata,
        },
        { idempotencyKey: `coterie:tier:${tierId}:price:${price.value}:${price.currency}:${price.interval}` },
      );
      return { productId: product, priceId: created.id };
    },
    async createCheckoutSession(input) {
      const session = await stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: input.priceId, quantity: 1 }],
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
        client_reference_id: input.clientReferenceId,
        ...(input.customerId ? { customer: input.customerId } : {}),
        metadata: input.metadata,
        subscription_data: {
          application_fee_percent: input.applicationFeePercent,
          transfer_data: { destination: input.destinationAccountId },
          metadata: input.metadata,
        },
      });
      if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a url`);
      return { url: session.url };
    },
    async createBillingPortalSession({ customerId, returnUrl }) {
      const session = await stripe.billingPortal.sessions.create({
        customer: customerId,
        return_url: returnUrl,
      });
      return { url: session.url };
    },
    async createConnectedAccount({ communityId }) {
      const account = await stripe.accounts.create(
        {
          type: 'express',
          metadata: { coterie_community_id: communityId },
          capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
        },
        { idempotencyKey: `coterie:community:${communityId}:account` },
      );
      return { accountId: account.id };
    },
    async createAccountLink({ accountId, refreshUrl, returnUrl }) {
      const link = await stripe.accountLinks.create({
        account: accountId,
        refresh_url: refreshUrl,
        return_url: returnUrl,
        type: 'account_onboarding',
      });
      return { url: link.url };
    },
    async retrieveSubscription(id) {
      try {
        const subscription = await stripe.subscriptions.retrieve(id);
        return toSubscriptionState(subscription as unknown as Record<string, unknown>);
      } catch (error) {
        if ((error as { code?: string; statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    },
    async retrieveAccount(id) {
      const account = await stripe.accounts.retrieve(id);
      return { id: account.id, chargesEnabled: account.charges_enabled === true };
    },
  };
}

const idOf = (value: unknown): string | null =>
  typeof value === 'string'
    ? value
    : value && typeof value === 'object' && 'id' in value
      ? String(value.id)
      : null;

/**
 * Reads a subscription object, retrieved or from an event. The period end moved from the
 * subscription to its items in API 2025-03-31; both shapes are read.
 */
export function toSubscriptionState(object: Record<string, unknown>): StripeSubscriptionState {
  const items = (object.items as { data?: Record<string, unknown>[] } | undefined)?.data ?? [];
  const item = items[0];
  const price = (item?.price ?? object.plan) as
    | {
        id?: string;
        unit_amount?: number | null;
        currency?: string;
        recurring?: { interval?: string } | null;
        interval?: string;
      }
    | undefined;
  const interval = price?.recurring?.interval ?? price?.interval;
  const periodEnd = (item?.current_period_end ?? object.current_period_end) as number | undefined;
  return {
    id: String(object.id),
    customerId: idOf(object.customer),
    status: String(object.status),
    metadata: (object.metadata as Record<string, string> | null) ?? {},
    priceId: price?.id ?? null,
    interval: interval === 'month' || interval === 'year' ? interval : null,
    amount: typeof price?.unit_amount === 'number' ? String(price.unit_amount) : null,
    currency: price?.currency ?? null,
    currentPeriodEnd: typeof periodEnd === 'number' ? new Date(periodEnd * 1000) : null,
  };
}
