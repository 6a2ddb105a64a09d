import type { MembershipView } from '@coterie/contracts';
import { findMembership, toMembershipView } from '../adapters/postgres/memberships-repository.ts';
import type { Deps } from '../ports.ts';
import { requireCommunity } from './authorize.ts';
import { evaluateMemberships } from './evaluate-memberships.ts';

/**
 * The stored membership; a member never evaluated here is evaluated on first look, so a holder
 * who never pressed "refresh" is not told they have no tier.
 */
export async function getMembership(
  deps: Deps,
  input: { slug: string; memberId: string },
): Promise<MembershipView> {
  const community = await requireCommunity(deps.pool, input.slug);
  let row = await findMembership(deps.pool, community.id, input.memberId);
  if (!row || row.checkedAt === null) {
    await evaluateMemberships(deps, [{ communityId: community.id, memberId: input.memberId }]);
    row = await findMembership(deps.pool, community.id, input.memberId);
  }
  return toMembershipView(row);
}
