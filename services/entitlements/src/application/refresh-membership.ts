import type { MembershipView } from '@coterie/contracts';
import { findMembership, toMembershipView } from '../adapters/postgres/memberships-repository.ts';
import type { Deps } from '../ports.ts';
import { requireCommunity } from './authorize.ts';
import { evaluateMemberships } from './evaluate-memberships.ts';

/** `POST …/membership/refresh`: re-reads the chain (and everything else) now. */
export async function refreshMembership(
  deps: Deps,
  input: { slug: string; memberId: string },
): Promise<MembershipView> {
  const community = await requireCommunity(deps.pool, input.slug);
  await evaluateMemberships(deps, [{ communityId: community.id, memberId: input.memberId }]);
  return toMembershipView(await findMembership(deps.pool, community.id, input.memberId));
}
