import { proposalCreatedV1 } from '@coterie/contracts';
import type { Projector } from '../../application/projection.ts';

/**
 * A proposal and its electorate's rule: tier-member proposals count members holding at least
 * `minRank`; token strategies count every member holding a tier (rank ≥ 1) as eligible.
 */
export const proposalCreated: Projector<typeof proposalCreatedV1> = {
  def: proposalCreatedV1,
  async apply(client, events) {
    const rows = [...new Map(events.map((e) => [e.data.proposalId, e])).values()];
    await client.query(
      `INSERT INTO proposals (proposal_id, community_id, created_at, ends_at, min_rank)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::int[]) ORDER BY 1
       ON CONFLICT (proposal_id) DO UPDATE SET
         created_at = excluded.created_at, ends_at = excluded.ends_at, min_rank = excluded.min_rank`,
      [
        rows.map((e) => e.data.proposalId),
        rows.map((e) => e.data.communityId),
        rows.map((e) => e.occurredAt),
        rows.map((e) => e.data.endsAt),
        rows.map((e) => (e.data.strategy.kind === 'tier-member' ? e.data.strategy.params.minRank : 1)),
      ],
    );
  },
};
