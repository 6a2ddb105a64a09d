import { type Envelope, membershipRevokedV1 } from '@coterie/contracts';
import { recordMemberTier } from '../../application/record-member-tier.ts';
import type { GovernanceDeps } from '../../ports.ts';

/** A member's tier was revoked: they no longer count for tier-member electorates. */
export function onMembershipRevoked(deps: GovernanceDeps, consumer: string) {
  return async (event: Envelope): Promise<void> => {
    const data = membershipRevokedV1.data.parse(event.data);
    await recordMemberTier(deps, consumer, event, {
      communityId: data.communityId,
      memberId: data.memberId,
      tierRank: null,
      version: data.version,
    });
  };
}
