import { type Envelope, membershipGrantedV1 } from '@coterie/contracts';
import { recordMemberTier } from '../../application/record-member-tier.ts';
import type { GovernanceDeps } from '../../ports.ts';

/** A member's tier granted: their rank counts for tier-member electorates. */
export function onMembershipGranted(deps: GovernanceDeps, consumer: string) {
  return async (event: Envelope): Promise<void> => {
    const data = membershipGrantedV1.data.parse(event.data);
    await recordMemberTier(deps, consumer, event, {
      communityId: data.communityId,
      memberId: data.memberId,
      tierRank: data.tier.rank,
      version: data.version,
    });
  };
}
