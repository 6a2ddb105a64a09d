import { type Envelope, membershipChangedV1 } from '@coterie/contracts';
import { recordMemberTier } from '../../application/record-member-tier.ts';
import type { GovernanceDeps } from '../../ports.ts';

/** A member's tier changed: their rank counts for tier-member electorates. */
export function onMembershipChanged(deps: GovernanceDeps, consumer: string) {
  return async (event: Envelope): Promise<void> => {
    const data = membershipChangedV1.data.parse(event.data);
    await recordMemberTier(deps, consumer, event, {
      communityId: data.communityId,
      memberId: data.memberId,
      tierRank: data.tier.rank,
      version: data.version,
    });
  };
}
