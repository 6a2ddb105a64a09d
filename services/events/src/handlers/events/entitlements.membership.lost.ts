import type { Envelope, EventDefinition } from '@coterie/contracts';
import { membershipChangedV1, membershipRevokedV1 } from '@coterie/contracts';
import { revokeLostAccess } from '../../application/revoke-lost-access.ts';
import type { Deps } from '../../ports.ts';

/**
 * `entitlements.membership.revoked.v1` and `…changed.v1` (a downgrade): RSVPs to future events
 * the member may no longer see are withdrawn. Upgrades change nothing here.
 */
export function onMembershipLost(deps: Deps) {
  return async (envelope: Envelope, def: EventDefinition): Promise<void> => {
    if (def.subject === membershipRevokedV1.subject) {
      const data = membershipRevokedV1.data.parse(envelope.data);
      await revokeLostAccess(deps, data.communityId, data.memberId);
      return;
    }
    const data = membershipChangedV1.data.parse(envelope.data);
    if (data.tier.rank < data.previousTier.rank)
      await revokeLostAccess(deps, data.communityId, data.memberId);
  };
}
