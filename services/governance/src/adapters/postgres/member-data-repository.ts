import type { GovernanceMemberData } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';

/**
 * The member's votes (cast by one of `addresses`, or counted for the member under tier-member)
 * and the proposals they authored, across communities.
 */
export async function readMemberData(
  db: Queryable,
  memberId: string,
  addresses: readonly string[],
): Promise<GovernanceMemberData> {
  const [votes, proposals] = await Promise.all([
    db.query<{
      proposal_id: string;
      community_id: string;
      title: string;
      voter: string;
      choice: string;
      reason: string;
      power: string;
      signature: string;
      cast_at: Date;
    }>(
      `SELECT v.proposal_id, p.community_id, p.title, v.voter, v.choice, v.reason, v.power::text,
              v.signature, v.cast_at
         FROM votes v JOIN proposals p ON p.id = v.proposal_id
        WHERE v.member_id = $1 OR lower(v.voter) = ANY($2::text[])
        ORDER BY v.cast_at, v.proposal_id`,
      [memberId, addresses.map((a) => a.toLowerCase())],
    ),
    db.query<{
      id: string;
      community_id: string;
      title: string;
      created_at: Date;
      ends_at: Date;
      closed_at: Date | null;
    }>(
      `SELECT id, community_id, title, created_at, ends_at, closed_at FROM proposals
        WHERE created_by = $1 ORDER BY created_at, id`,
      [memberId],
    ),
  ]);
  return {
    votes: votes.rows.map((v) => ({
      proposalId: v.proposal_id,
      communityId: v.community_id,
      proposalTitle: v.title,
      voter: v.voter,
      choice: v.choice,
      reason: v.reason,
      power: v.power,
      signature: v.signature,
      castAt: v.cast_at.toISOString(),
    })),
    proposalsAuthored: proposals.rows.map((p) => ({
      id: p.id,
      communityId: p.community_id,
      title: p.title,
      createdAt: p.created_at.toISOString(),
      endsAt: p.ends_at.toISOString(),
      closedAt: p.closed_at?.toISOString() ?? null,
    })),
  };
}
