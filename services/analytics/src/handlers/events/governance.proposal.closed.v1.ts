import { proposalClosedV1 } from '@coterie/contracts';
import { earliestBy, type Projector } from '../../application/projection.ts';

/** When voting ended: participation is reported for proposals closing in a range. */
export const proposalClosed: Projector<typeof proposalClosedV1> = {
  def: proposalClosedV1,
  async apply(client, events) {
    const rows = earliestBy(events, (e) => e.data.proposalId);
    await client.query(
      `INSERT INTO proposals (proposal_id, community_id, closed_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) ORDER BY 1
       ON CONFLICT (proposal_id) DO UPDATE SET closed_at = LEAST(proposals.closed_at, excluded.closed_at)`,
      [
        rows.map((e) => e.data.proposalId),
        rows.map((e) => e.data.communityId),
        rows.map((e) => e.occurredAt),
      ],
    );
  },
};
