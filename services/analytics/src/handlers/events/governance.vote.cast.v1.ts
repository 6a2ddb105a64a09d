import { voteCastV1 } from '@coterie/contracts';
import { dayOf, earliestBy, type Projector, touchActive } from '../../application/projection.ts';

/** Distinct voters per proposal (by address: a replaced vote is the same voter); voting is a member action. */
export const voteCast: Projector<typeof voteCastV1> = {
  def: voteCastV1,
  async apply(client, events) {
    const rows = earliestBy(events, (e) => `${e.data.proposalId}:${e.data.voter.toLowerCase()}`);
    await client.query(
      `INSERT INTO votes (proposal_id, voter, community_id, member_id, at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::timestamptz[]) ORDER BY 1, 2
       ON CONFLICT (proposal_id, voter) DO UPDATE SET
         at = LEAST(votes.at, excluded.at), member_id = COALESCE(votes.member_id, excluded.member_id)`,
      [
        rows.map((e) => e.data.proposalId),
        rows.map((e) => e.data.voter.toLowerCase()),
        rows.map((e) => e.data.communityId),
        rows.map((e) => e.data.memberId),
        rows.map((e) => e.occurredAt),
      ],
    );
    await touchActive(
      client,
      events.flatMap((e) =>
        e.data.memberId
          ? [{ communityId: e.data.communityId, memberId: e.data.memberId, day: dayOf(e.occurredAt) }]
          : [],
      ),
    );
  },
};
