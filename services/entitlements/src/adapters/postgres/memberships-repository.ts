import type { CommunityRole, MembershipView, Proof, TierRef } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';

export interface MembershipRow {
  communityId: string;
  memberId: string;
  tier: TierRef | null;
  via: Proof[];
  since: Date | null;
  /** Null for a row created only to be locked (never evaluated). */
  checkedAt: Date | null;
  validUntil: Date | null;
  version: number;
}

interface Row {
  community_id: string;
  member_id: string;
  tier_id: string | null;
  tier_name: string | null;
  tier_rank: number | null;
  via: Proof[];
  since: Date | null;
  checked_at: Date | null;
  valid_until: Date | null;
  version: string;
}

const SELECT = `SELECT m.community_id, m.member_id, m.tier_id, t.name AS tier_name, t.rank AS tier_rank, m.via,
  m.since, m.checked_at, m.valid_until, m.version
  FROM memberships m LEFT JOIN tiers t ON t.id = m.tier_id`;

function toRow(r: Row): MembershipRow {
  return {
    communityId: r.community_id,
    memberId: r.member_id,
    tier:
      r.tier_id !== null && r.tier_name !== null && r.tier_rank !== null
        ? { id: r.tier_id, name: r.tier_name, rank: r.tier_rank }
        : null,
    via: r.via,
    since: r.since,
    checkedAt: r.checked_at,
    validUntil: r.valid_until,
    version: Number(r.version),
  };
}

export function toMembershipView(row: MembershipRow | undefined): MembershipView {
  if (!row || row.checkedAt === null) return { tier: null, via: [], checkedAt: null, validUntil: null };
  return {
    tier: row.tier,
    via: row.tier ? row.via : [],
    checkedAt: row.checkedAt.toISOString(),
    validUntil: row.tier && row.validUntil ? row.validUntil.toISOString() : null,
  };
}

export async function findMembership(
  q: Queryable,
  communityId: string,
  memberId: string,
): Promise<MembershipRow | undefined> {
  const { rows } = await q.query<Row>(`${SELECT} WHERE m.community_id = $1 AND m.member_id = $2`, [
    communityId,
    memberId,
  ]);
  return rows[0] && toRow(rows[0]);
}

/**
 * Locks the membership row, creating an unevaluated one first: concurrent evaluations of one
 * member then serialize on the row instead of racing to insert it. The lock and the read are two
 * statements: a `SELECT … JOIN tiers … FOR UPDATE` that waited for another evaluation's commit
 * re-reads the locked row but not the joined tier, and answered "tier_id set, tier unknown", so
 * the second evaluation took a granted member for a new one and granted again (two replicas
 * under load, `tests/scale`). Read after the lock, the row is what the other one committed.
 */
export async function lockMembership(
  q: Queryable,
  communityId: string,
  memberId: string,
): Promise<MembershipRow> {
  await q.query('INSERT INTO memberships (community_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    communityId,
    memberId,
  ]);
  await q.query('SELECT 1 FROM memberships WHERE community_id = $1 AND member_id = $2 FOR UPDATE', [
    communityId,
    memberId,
  ]);
  const row = await findMembership(q, communityId, memberId);
  if (!row) throw new Error(`membership ${communityId}/${memberId} vanished under its lock`);
  return row;
}

export async function saveMembership(
  q: Queryable,
  m: {
    communityId: string;
    memberId: string;
    tierId: string | null;
    via: Proof[];
    since: Date | null;
    checkedAt: Date;
    validUntil: Date;
    version: number;
  },
): Promise<void> {
  await q.query(
    `UPDATE memberships SET tier_id = $3, via = $4, since = $5, checked_at = $6, valid_until = $7, version = $8
     WHERE community_id = $1 AND member_id = $2`,
    [
      m.communityId,
      m.memberId,
      m.tierId,
      JSON.stringify(m.via),
      m.since,
      m.checkedAt,
      m.validUntil,
      m.version,
    ],
  );
}

/** Current tiers of every member everywhere: the start-up snapshot of the in-memory view. */
export async function allMemberships(q: Queryable): Promise<MembershipRow[]> {
  const { rows } = await q.query<Row>(`${SELECT} WHERE m.version > 0`);
  return rows.map(toRow);
}

/**
 * Claims up to `limit` memberships whose re-verification is due, pushing their `valid_until` out
 * by `leaseMs` so other replicas skip them (SKIP LOCKED) while this one works.
 */
export async function claimDueMemberships(
  q: Queryable,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<{ communityId: string; memberId: string }[]> {
  const { rows } = await q.query<{ community_id: string; member_id: string }>(
    `UPDATE memberships m SET valid_until = $2::timestamptz + make_interval(secs => $3::double precision / 1000)
     FROM (SELECT community_id, member_id FROM memberships
           WHERE valid_until <= $2
           ORDER BY valid_until LIMIT $1 FOR UPDATE SKIP LOCKED) due
     WHERE m.community_id = due.community_id AND m.member_id = due.member_id
     RETURNING m.community_id, m.member_id`,
    [limit, now, leaseMs],
  );
  return rows.map((r) => ({ communityId: r.community_id, memberId: r.member_id }));
}

export interface MemberListItem {
  memberId: string;
  tier: TierRef | null;
  via: Proof[];
  role: CommunityRole | null;
  since: Date;
}

/** Members with a tier or a role, in member-id order (keyset pagination). */
export async function listCommunityMembers(
  q: Queryable,
  communityId: string,
  page: { limit: number; afterMemberId?: string },
): Promise<MemberListItem[]> {
  const { rows } = await q.query<{
    member_id: string;
    tier_id: string | null;
    tier_name: string | null;
    tier_rank: number | null;
    via: Proof[] | null;
    role: CommunityRole | null;
    since: Date;
  }>(
    `WITH ids AS (
       SELECT member_id FROM memberships WHERE community_id = $1 AND tier_id IS NOT NULL
       UNION SELECT member_id FROM roles WHERE community_id = $1)
     SELECT ids.member_id, m.tier_id, t.name AS tier_name, t.rank AS tier_rank, m.via, r.role,
            COALESCE(LEAST(m.since, r.updated_at), m.since, r.updated_at) AS since
     FROM ids
     LEFT JOIN memberships m ON m.community_id = $1 AND m.member_id = ids.member_id AND m.tier_id IS NOT NULL
     LEFT JOIN tiers t ON t.id = m.tier_id
     LEFT JOIN roles r ON r.community_id = $1 AND r.member_id = ids.member_id
     WHERE $2::uuid IS NULL OR ids.member_id > $2
     ORDER BY ids.member_id LIMIT $3`,
    [communityId, page.afterMemberId ?? null, page.limit],
  );
  return rows.map((r) => ({
    memberId: r.member_id,
    tier:
      r.tier_id !== null && r.tier_name !== null && r.tier_rank !== null
        ? { id: r.tier_id, name: r.tier_name, rank: r.tier_rank }
        : null,
    via: r.tier_id ? (r.via ?? []) : [],
    role: r.role,
    since: r.since,
  }));
}

/**
 * Makes every evaluated membership of a community due now: the re-verification loop picks them
 * up in batches (a tier's gate or rank changed, or a tier was added).
 */
export async function markCommunityDue(q: Queryable, communityId: string, now: Date): Promise<number> {
  // Rows are locked in member order, as `applyMemberships` locks them: a plain UPDATE locks in
  // physical order and deadlocked with a re-verification batch of the same community.
  const { rowCount } = await q.query(
    `UPDATE memberships m SET valid_until = $2
       FROM (SELECT member_id FROM memberships
              WHERE community_id = $1 AND checked_at IS NOT NULL AND valid_until > $2
              ORDER BY member_id FOR UPDATE) due
      WHERE m.community_id = $1 AND m.member_id = due.member_id`,
    [communityId, now],
  );
  return rowCount ?? 0;
}

/** Re-verify no later than `until` (a grace period ends then). */
export async function capValidUntil(
  q: Queryable,
  communityId: string,
  memberId: string,
  until: Date,
): Promise<void> {
  await q.query(
    'UPDATE memberships SET valid_until = LEAST(valid_until, $3) WHERE community_id = $1 AND member_id = $2',
    [communityId, memberId, until],
  );
}

/** The member's current tiers, with the community's public names, oldest membership first. */
export async function listMembershipsOfMember(
  q: Queryable,
  memberId: string,
): Promise<
  {
    community: { id: string; slug: string; name: string };
    tier: TierRef;
    via: Proof[];
    since: string;
    validUntil: string | null;
  }[]
> {
  const { rows } = await q.query<{
    community_id: string;
    slug: string;
    community_name: string;
    tier_id: string;
    tier_name: string;
    tier_rank: number;
    via: Proof[];
    since: Date | null;
    checked_at: Date;
    valid_until: Date | null;
  }>(
    `SELECT m.community_id, c.slug, c.name AS community_name, m.tier_id, t.name AS tier_name, t.rank AS tier_rank,
            m.via, m.since, m.checked_at, m.valid_until
       FROM memberships m
       JOIN tiers t ON t.id = m.tier_id
       JOIN communities c ON c.id = m.community_id
      WHERE m.member_id = $1 AND m.tier_id IS NOT NULL
      ORDER BY m.since NULLS LAST, c.slug`,
    [memberId],
  );
  return rows.map((r) => ({
    community: { id: r.community_id, slug: r.slug, name: r.community_name },
    tier: { id: r.tier_id, name: r.tier_name, rank: r.tier_rank },
    via: r.via,
    since: (r.since ?? r.checked_at).toISOString(),
    validUntil: r.valid_until ? r.valid_until.toISOString() : null,
  }));
}
