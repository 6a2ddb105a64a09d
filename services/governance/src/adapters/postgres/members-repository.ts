import type { Queryable } from '@coterie/db';

/**
 * Applies one membership fact from entitlements (rank null = revoked), keeping the newest
 * `version` per (community, member) so out-of-order deliveries cannot roll a member back.
 */
export async function applyMemberTier(
  db: Queryable,
  fact: { communityId: string; memberId: string; tierRank: number | null; version: number },
): Promise<void> {
  await db.query(
    `INSERT INTO member_tiers (community_id, member_id, tier_rank, version) VALUES ($1, $2, $3, $4)
     ON CONFLICT (community_id, member_id) DO UPDATE SET tier_rank = EXCLUDED.tier_rank, version = EXCLUDED.version
     WHERE member_tiers.version < EXCLUDED.version`,
    [fact.communityId, fact.memberId, fact.tierRank, fact.version],
  );
}

/** The members holding a tier of at least `minRank` now (the projection of entitlements' events). */
export async function membersWithRank(
  db: Queryable,
  communityId: string,
  minRank: number,
): Promise<string[]> {
  const { rows } = await db.query<{ member_id: string }>(
    'SELECT member_id FROM member_tiers WHERE community_id = $1 AND tier_rank >= $2 ORDER BY member_id',
    [communityId, minRank],
  );
  return rows.map((r) => r.member_id);
}

/** A tier-member proposal's electorate, fixed at creation. */
export async function insertEligibleMembers(
  db: Queryable,
  proposalId: string,
  memberIds: readonly string[],
): Promise<void> {
  if (memberIds.length === 0) return;
  await db.query(
    'INSERT INTO eligible_members (proposal_id, member_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING',
    [proposalId, memberIds],
  );
}

export async function isEligibleMember(
  db: Queryable,
  proposalId: string,
  memberId: string,
): Promise<boolean> {
  const { rows } = await db.query(
    'SELECT 1 FROM eligible_members WHERE proposal_id = $1 AND member_id = $2',
    [proposalId, memberId],
  );
  return rows.length > 0;
}
