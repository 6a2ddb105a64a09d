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
