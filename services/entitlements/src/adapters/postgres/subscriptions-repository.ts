import type { Queryable } from '@coterie/db';

export type SubscriptionStatus = 'incomplete' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid';

export interface NewSubscription {
  id: string;
  communityId: string;
  tierId: string;
  memberId: string;
  status: SubscriptionStatus;
  stripeSubscriptionId?: string;
  priceId?: string;
  interval?: 'month' | 'year';
  /** Integer minor units. */
  amount?: string;
  currency?: string;
  currentPeriodEnd?: Date;
  graceUntil?: Date;
}

/** Until the Stripe webhooks land, tests and tools write subscriptions through here. */
export async function insertSubscription(q: Queryable, s: NewSubscription): Promise<void> {
  await q.query(
    `INSERT INTO subscriptions (id, community_id, tier_id, member_id, status, stripe_subscription_id, price_id,
       interval, amount, currency, current_period_end, grace_until)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      s.id,
      s.communityId,
      s.tierId,
      s.memberId,
      s.status,
      s.stripeSubscriptionId ?? null,
      s.priceId ?? null,
      s.interval ?? null,
      s.amount ?? null,
      s.currency ?? null,
      s.currentPeriodEnd ?? null,
      s.graceUntil ?? null,
    ],
  );
}

export async function setSubscriptionStatus(
  q: Queryable,
  id: string,
  status: SubscriptionStatus,
): Promise<void> {
  await q.query('UPDATE subscriptions SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
}

/**
 * Subscriptions that grant access now: active or trialing, or past_due inside its grace period.
 * Keyed `communityId:memberId` → tier ids.
 */
export async function entitledSubscriptions(
  q: Queryable,
  pairs: readonly { communityId: string; memberId: string }[],
  now: Date,
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (pairs.length === 0) return out;
  const { rows } = await q.query<{ community_id: string; member_id: string; tier_id: string }>(
    `SELECT s.community_id, s.member_id, s.tier_id
     FROM subscriptions s JOIN unnest($1::uuid[], $2::uuid[]) AS p(community_id, member_id)
       ON s.community_id = p.community_id AND s.member_id = p.member_id
     WHERE s.status IN ('active', 'trialing') OR (s.status = 'past_due' AND s.grace_until > $3)`,
    [pairs.map((p) => p.communityId), pairs.map((p) => p.memberId), now],
  );
  for (const r of rows) {
    const key = `${r.community_id}:${r.member_id}`;
    const set = out.get(key) ?? new Set<string>();
    set.add(r.tier_id);
    out.set(key, set);
  }
  return out;
}

export interface StripeSubscriptionRow {
  id: string;
  communityId: string;
  tierId: string;
  memberId: string;
  status: SubscriptionStatus;
  stripeSubscriptionId: string;
  stripeCustomerId: string | null;
  priceId: string | null;
  interval: 'month' | 'year' | null;
  amount: string | null;
  currency: string | null;
  currentPeriodEnd: Date | null;
  graceUntil: Date | null;
  /** When the stored state was observed (ms): see migration 002. */
  stripeVersion: number;
}

interface SubscriptionDbRow {
  id: string;
  community_id: string;
  tier_id: string;
  member_id: string;
  status: SubscriptionStatus;
  stripe_subscription_id: string;
  stripe_customer_id: string | null;
  price_id: string | null;
  interval: 'month' | 'year' | null;
  amount: string | null;
  currency: string | null;
  current_period_end: Date | null;
  grace_until: Date | null;
  stripe_version: string;
}

/** Locks the row of a Stripe subscription (concurrent events of one subscription serialize here). */
export async function lockStripeSubscription(
  q: Queryable,
  stripeSubscriptionId: string,
): Promise<StripeSubscriptionRow | undefined> {
  const { rows } = await q.query<SubscriptionDbRow>(
    `SELECT id, community_id, tier_id, member_id, status, stripe_subscription_id, stripe_customer_id, price_id,
       interval, amount, currency, current_period_end, grace_until, stripe_version
     FROM subscriptions WHERE stripe_subscription_id = $1 FOR UPDATE`,
    [stripeSubscriptionId],
  );
  const r = rows[0];
  return (
    r && {
      id: r.id,
      communityId: r.community_id,
      tierId: r.tier_id,
      memberId: r.member_id,
      status: r.status,
      stripeSubscriptionId: r.stripe_subscription_id,
      stripeCustomerId: r.stripe_customer_id,
      priceId: r.price_id,
      interval: r.interval,
      amount: r.amount,
      currency: r.currency,
      currentPeriodEnd: r.current_period_end,
      graceUntil: r.grace_until,
      stripeVersion: Number(r.stripe_version),
    }
  );
}

/** Inserts or replaces a Stripe subscription's state (the caller holds the row lock, or none exists). */
export async function saveStripeSubscription(q: Queryable, s: StripeSubscriptionRow): Promise<void> {
  await q.query(
    `INSERT INTO subscriptions (id, community_id, tier_id, member_id, status, stripe_subscription_id,
       stripe_customer_id, price_id, interval, amount, currency, current_period_end, grace_until, stripe_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (stripe_subscription_id) DO UPDATE SET
       tier_id = EXCLUDED.tier_id, status = EXCLUDED.status,
       stripe_customer_id = COALESCE(EXCLUDED.stripe_customer_id, subscriptions.stripe_customer_id),
       price_id = EXCLUDED.price_id, interval = EXCLUDED.interval, amount = EXCLUDED.amount,
       currency = EXCLUDED.currency, current_period_end = EXCLUDED.current_period_end,
       grace_until = EXCLUDED.grace_until, stripe_version = EXCLUDED.stripe_version, updated_at = now()`,
    [
      s.id,
      s.communityId,
      s.tierId,
      s.memberId,
      s.status,
      s.stripeSubscriptionId,
      s.stripeCustomerId,
      s.priceId,
      s.interval,
      s.amount,
      s.currency,
      s.currentPeriodEnd,
      s.graceUntil,
      s.stripeVersion,
    ],
  );
}

/** Whether the member pays for this tier right now (checkout refuses a second subscription). */
export async function hasLiveSubscription(
  q: Queryable,
  communityId: string,
  memberId: string,
  tierId: string,
): Promise<boolean> {
  const { rows } = await q.query(
    `SELECT 1 FROM subscriptions WHERE community_id = $1 AND member_id = $2 AND tier_id = $3
       AND status IN ('active', 'trialing', 'past_due')`,
    [communityId, memberId, tierId],
  );
  return rows.length > 0;
}

/**
 * The earliest end of a grace period still running, keyed `communityId:memberId`: the
 * membership must be re-checked then, not only at the next periodic re-verification.
 */
export async function graceEnds(
  q: Queryable,
  pairs: readonly { communityId: string; memberId: string }[],
  now: Date,
): Promise<Map<string, Date>> {
  if (pairs.length === 0) return new Map();
  const { rows } = await q.query<{ community_id: string; member_id: string; ends: Date }>(
    `SELECT s.community_id, s.member_id, min(s.grace_until) AS ends
     FROM subscriptions s JOIN unnest($1::uuid[], $2::uuid[]) AS p(community_id, member_id)
       ON s.community_id = p.community_id AND s.member_id = p.member_id
     WHERE s.status = 'past_due' AND s.grace_until > $3
     GROUP BY s.community_id, s.member_id`,
    [pairs.map((p) => p.communityId), pairs.map((p) => p.memberId), now],
  );
  return new Map(rows.map((r) => [`${r.community_id}:${r.member_id}`, r.ends]));
}

/** Makes one membership due now (the loop re-evaluates it if the caller's own evaluation fails). */
export async function markMembershipDue(
  q: Queryable,
  communityId: string,
  memberId: string,
  now: Date,
): Promise<void> {
  await q.query('UPDATE memberships SET valid_until = $3 WHERE community_id = $1 AND member_id = $2', [
    communityId,
    memberId,
    now,
  ]);
}
