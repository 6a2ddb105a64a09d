import { TippingMembersOnlyError } from '../domain/tipping-errors.ts';
import type { CommunityInfo, TippingDeps } from '../ports.ts';

/** A community with `tipping: 'members'` takes tips only from its members (a tier or any role). */
export async function requireMayTip(deps: TippingDeps, community: CommunityInfo, memberId: string) {
  if (community.tipping === 'members' && !(await deps.communities.isMember(community.id, memberId))) {
    throw new TippingMembersOnlyError();
  }
}
