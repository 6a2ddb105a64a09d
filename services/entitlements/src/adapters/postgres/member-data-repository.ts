import type { CommunityRole, EntitlementsMemberData, Proof } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Everything entitlements holds about one member, across communities (`GET /v1/me/data`). */
export async function readMemberData(q: Queryable, memberId: string): Promise<EntitlementsMemberData> {
  const [created, roles, memberships, subscriptions, customer] = await Promise.all([
    q.query<{ id: string; slug: string; name: string; created_at: Date }>(
      'SELECT id, slug, name, created_at FROM communities WHERE created_by = $1 ORDER BY created_at, slug',
      [memberId],
    ),
    q.query<{ id: string; slug: string; name: string; role: CommunityRole; updated_at: Date }>(
      `SELECT c.id, c.slug, c.name, r.role, r.updated_at
         FROM roles r JOIN communities c ON c.id = r.community_id
        WHERE r.member_id = $1 ORDER BY c.slug`,
      [memberId],
    ),
    q.query<{
      id: string;
      slug: string;
      name: string;
      tier_id: string | null;
      tier_name: string | null;
      tier_rank: number | null;
      via: Proof[];
      since: Date | null;
      checked_at: Date | null;
      valid_until: Date | null;
    }>(
      `SELECT c.id, c.slug, c.name, m.tier_id, t.name AS tier_name, t.rank AS tier_rank,
              m.via, m.since, m.checked_at, m.valid_until
         FROM memberships m
         JOIN communities c ON c.id = m.community_id
         LEFT JOIN tiers t ON t.id = m.tier_id
        WHERE m.member_id = $1 AND m.checked_at IS NOT NULL
        ORDER BY c.slug`,
      [memberId],
    ),
    q.query<{
      id: string;
      community_id: string;
      slug: string;
      name: string;
      tier_id: string;
      status: string;
      interval: 'month' | 'year' | null;
      amount: string | null;
      currency: string | null;
      current_period_end: Date | null;
      created_at: Date;
      updated_at: Date;
    }>(
      `SELECT s.id, s.community_id, c.slug, c.name, s.tier_id, s.status, s.interval, s.amount::text,
              s.currency, s.current_period_end, s.created_at, s.updated_at
         FROM subscriptions s JOIN communities c ON c.id = s.community_id
        WHERE s.member_id = $1 ORDER BY s.created_at, s.id`,
      [memberId],
    ),
    q.query<{ customer_id: string }>('SELECT customer_id FROM stripe_customers WHERE member_id = $1', [
      memberId,
    ]),
  ]);
  return {
    communitiesCreated: created.rows.map((c) => ({
      id: c.id,
      slug: c.slug,
      name: c.name,
      createdAt: c.created_at.toISOString(),
    })),
    roles: roles.rows.map((r) => ({
      community: { id: r.id, slug: r.slug, name: r.name },
      role: r.role,
      updatedAt: r.updated_at.toISOString(),
    })),
    memberships: memberships.rows.map((m) => ({
      community: { id: m.id, slug: m.slug, name: m.name },
      tier:
        m.tier_id && m.tier_name !== null && m.tier_rank !== null
          ? { id: m.tier_id, name: m.tier_name, rank: m.tier_rank }
          : null,
      via: m.via,
      since: iso(m.since),
      checkedAt: iso(m.checked_at),
      validUntil: iso(m.valid_until),
    })),
    subscriptions: subscriptions.rows.map((s) => ({
      id: s.id,
      community: { id: s.community_id, slug: s.slug, name: s.name },
      tierId: s.tier_id,
      status: s.status,
      interval: s.interval,
      amount: s.amount !== null && s.currency !== null ? { value: s.amount, currency: s.currency } : null,
      currentPeriodEnd: iso(s.current_period_end),
      createdAt: s.created_at.toISOString(),
      updatedAt: s.updated_at.toISOString(),
    })),
    stripeCustomerId: customer.rows[0]?.customer_id ?? null,
  };
}
