import { type Envelope, stripeEventReceived, subscriptionChangedV1 } from '@coterie/contracts';
import type { PoolClient } from '@coterie/db';
import { appendToOutbox, handleOnce, newEvent } from '@coterie/messaging';
import { uuidv7 } from 'uuidv7';
import { saveStripeCustomer, setChargesEnabled } from '../adapters/postgres/stripe-repository.ts';
import {
  lockStripeSubscription,
  markMembershipDue,
  type SubscriptionStatus,
  saveStripeSubscription,
} from '../adapters/postgres/subscriptions-repository.ts';
import { findTier, findTierByStripePrice } from '../adapters/postgres/tiers-repository.ts';
import { type StripeSubscriptionState, toSubscriptionState } from '../adapters/stripe/stripe-billing.ts';
import { type Deps, SOURCE } from '../ports.ts';
import type { MembershipTarget } from './compute-memberships.ts';
import { evaluateMemberships } from './evaluate-memberships.ts';

export const stripeEventReceivedV1 = stripeEventReceived('entitlements');

export type StripeEventOutcome = 'applied' | 'duplicate' | 'ignored' | 'stale';

type StripeObject = Record<string, unknown>;

const idOf = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : value && typeof value === 'object' && 'id' in value && typeof value.id === 'string'
      ? value.id
      : undefined;

/** What a checkout session knows that the subscription may not (it is linked before its first event). */
interface Hint {
  customerId?: string | undefined;
  metadata: Record<string, string>;
  clientReferenceId?: string | undefined;
}

/**
 * The subscription state machine, driven by verified webhooks (the gateway stores them on our
 * stream, keyed by Stripe's event id). Whatever the event, the subscription is re-fetched from
 * Stripe and its *current* state applied, so the delivery order does not matter: an event that
 * arrives late finds the newer state and changes nothing. Each applied state carries the time
 * it was observed (`stripe_version`); an older observation never replaces a newer one. The
 * subscription, its `subscription.changed` event and the inbox claim commit together; the
 * membership is re-evaluated right after.
 */
export async function handleStripeEvent(
  deps: Deps,
  envelope: Envelope,
  consumer: string,
): Promise<StripeEventOutcome> {
  const { event } = stripeEventReceivedV1.data.parse(envelope.data);
  const { rows } = await deps.pool.query('SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2', [
    consumer,
    envelope.id,
  ]);
  if (rows.length > 0) return 'duplicate';
  const object = event.data.object as StripeObject;

  if (event.type === 'account.updated') {
    const accountId = idOf(object);
    if (!accountId) return claimOnly(deps, consumer, envelope);
    const account = deps.stripe
      ? await deps.stripe.retrieveAccount(accountId)
      : { id: accountId, chargesEnabled: object.charges_enabled === true };
    return handleOnce(deps.pool, consumer, envelope, async (client) => {
      await setChargesEnabled(client, account.id, account.chargesEnabled);
    });
  }

  let subscriptionId: string | undefined;
  let hint: Hint = { metadata: {} };
  switch (event.type) {
    case 'checkout.session.completed':
      if (object.mode !== 'subscription') return claimOnly(deps, consumer, envelope);
      subscriptionId = idOf(object.subscription);
      hint = {
        customerId: idOf(object.customer),
        metadata: (object.metadata as Record<string, string> | null) ?? {},
        clientReferenceId:
          typeof object.client_reference_id === 'string' ? object.client_reference_id : undefined,
      };
      break;
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      // API 2025-03-31 moved it under `parent.subscription_details`; older versions have `subscription`.
      const parent = object.parent as { subscription_details?: { subscription?: unknown } | null } | null;
      subscriptionId = idOf(parent?.subscription_details?.subscription) ?? idOf(object.subscription);
      hint = { customerId: idOf(object.customer), metadata: {} };
      break;
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      subscriptionId = idOf(object);
      break;
    default:
      return claimOnly(deps, consumer, envelope);
  }
  if (!subscriptionId) return claimOnly(deps, consumer, envelope);

  // The current state from Stripe; Stripe unreachable → throw, the consumer retries with backoff.
  let state: StripeSubscriptionState | undefined;
  let observedAt: number;
  if (deps.stripe) {
    state = await deps.stripe.retrieveSubscription(subscriptionId);
    observedAt = deps.now().getTime();
  } else {
    observedAt = event.created * 1000;
  }
  if (!state && event.type.startsWith('customer.subscription.')) {
    state = toSubscriptionState(object);
    observedAt = event.created * 1000;
  }
  if (!state) {
    deps.logger.warn({ subscriptionId, type: event.type }, 'Stripe does not know this subscription; ignored');
    return claimOnly(deps, consumer, envelope);
  }
  return applySubscriptionState(deps, { envelope, consumer, state, observedAt, hint });
}

async function claimOnly(deps: Deps, consumer: string, envelope: Envelope): Promise<StripeEventOutcome> {
  const outcome = await handleOnce(deps.pool, consumer, envelope, async () => {});
  return outcome === 'applied' ? 'ignored' : outcome;
}

/** Stripe's statuses onto ours: an expired first payment ends it; a paused one grants nothing. */
export function toStatus(stripeStatus: string): SubscriptionStatus {
  switch (stripeStatus) {
    case 'trialing':
    case 'active':
    case 'past_due':
    case 'canceled':
    case 'unpaid':
    case 'incomplete':
      return stripeStatus;
    case 'incomplete_expired':
      return 'canceled';
    case 'paused':
      return 'unpaid';
    default:
      return 'incomplete';
  }
}

async function applySubscriptionState(
  deps: Deps,
  input: {
    envelope: Envelope;
    consumer: string;
    state: StripeSubscriptionState;
    observedAt: number;
    hint: Hint;
  },
): Promise<StripeEventOutcome> {
  const { envelope, state, hint } = input;
  const metadata = { ...hint.metadata, ...state.metadata };
  if (metadata.coterie_context && metadata.coterie_context !== 'entitlements') {
    return claimOnly(deps, input.consumer, envelope);
  }
  let target: MembershipTarget | undefined;
  let ignored = false;
  let stale = false;
  const outcome = await handleOnce(deps.pool, input.consumer, envelope, async (client) => {
    // Events of one subscription serialize here, including the very first insert.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`stripe-subscription:${state.id}`]);
    const row = await lockStripeSubscription(client, state.id);
    const owner = await resolveOwner(client, state, metadata, hint, row);
    if (!owner) {
      ignored = true;
      deps.logger.warn({ subscriptionId: state.id }, 'a Stripe subscription that is not ours; ignored');
      return;
    }
    const customerId = state.customerId ?? hint.customerId ?? null;
    if (customerId) await saveStripeCustomer(client, owner.memberId, customerId);
    if (row && row.stripeVersion >= input.observedAt) {
      stale = true;
      return;
    }
    const status = toStatus(state.status);
    const now = deps.now();
    const graceUntil =
      status === 'past_due'
        ? row?.status === 'past_due' && row.graceUntil
          ? row.graceUntil
          : new Date(now.getTime() + deps.graceMs)
        : null;
    const id = row?.id ?? uuidv7();
    await saveStripeSubscription(client, {
      id,
      communityId: owner.communityId,
      tierId: owner.tierId,
      memberId: owner.memberId,
      status,
      stripeSubscriptionId: state.id,
      stripeCustomerId: customerId,
      priceId: state.priceId,
      interval: state.interval,
      amount: state.amount,
      currency: state.currency,
      currentPeriodEnd: state.currentPeriodEnd,
      graceUntil,
      stripeVersion: input.observedAt,
    });
    const changed =
      !row || row.status !== status || row.priceId !== state.priceId || row.tierId !== owner.tierId;
    if (changed && state.priceId && state.interval && state.amount !== null && state.currency) {
      await appendToOutbox(
        client,
        newEvent(
          subscriptionChangedV1,
          {
            subscriptionId: id,
            communityId: owner.communityId,
            memberId: owner.memberId,
            tierId: owner.tierId,
            status,
            previousStatus: row?.status ?? null,
            priceId: state.priceId,
            interval: state.interval,
            amount: { value: state.amount, currency: state.currency },
            currentPeriodEnd: state.currentPeriodEnd?.toISOString() ?? null,
          },
          {
            source: SOURCE,
            communityId: owner.communityId,
            causationId: envelope.id,
            correlationId: envelope.correlationId,
          },
        ),
      );
    }
    // If the evaluation below never happens (crash), the loop re-evaluates this member soon.
    await markMembershipDue(client, owner.communityId, owner.memberId, now);
    target = { communityId: owner.communityId, memberId: owner.memberId };
  });
  deps.wakeRelay();
  // Evaluated after the commit, so the facts include the new state, and an evaluation that began
  // before it (and read the old state) cannot overwrite this one (see applyMemberships).
  if (target) {
    await evaluateMemberships(deps, [target], {
      causationId: envelope.id,
      correlationId: envelope.correlationId,
    }).catch((error) =>
      deps.logger.warn(
        { err: error, ...target },
        'could not re-evaluate after a subscription change; the loop will',
      ),
    );
  }
  if (outcome === 'duplicate') return 'duplicate';
  return ignored ? 'ignored' : stale ? 'stale' : 'applied';
}

/**
 * Whose subscription this is: a row we already have; else the metadata Coterie put on the
 * session and the subscription. The tier follows the price when it is one of ours (a plan
 * change in the portal moves the member to that tier).
 */
async function resolveOwner(
  client: PoolClient,
  state: StripeSubscriptionState,
  metadata: Record<string, string>,
  hint: Hint,
  row: { memberId: string; communityId: string; tierId: string } | undefined,
): Promise<{ memberId: string; communityId: string; tierId: string } | undefined> {
  const memberId = row?.memberId ?? metadata.coterie_member_id ?? hint.clientReferenceId;
  const communityId = row?.communityId ?? metadata.coterie_community_id;
  if (!memberId || !communityId) return undefined;
  const byPrice = state.priceId ? await findTierByStripePrice(client, state.priceId) : undefined;
  const tierId =
    byPrice && byPrice.communityId === communityId ? byPrice.id : (row?.tierId ?? metadata.coterie_tier_id);
  if (!tierId) return undefined;
  if (!UUID.test(memberId) || !UUID.test(communityId) || !UUID.test(tierId)) return undefined;
  if (!(await findTier(client, communityId, tierId))) return undefined;
  return { memberId, communityId, tierId };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
