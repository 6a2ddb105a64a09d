import { findCommunityById } from '../adapters/postgres/communities-repository.ts';
import { findMembership } from '../adapters/postgres/memberships-repository.ts';
import { findRole } from '../adapters/postgres/roles-repository.ts';
import { type AccessAnswer, decide } from '../domain/access-view.ts';
import { CommunityNotFoundError } from '../domain/errors.ts';
import type { Deps } from '../ports.ts';

/**
 * The hot path: answered from memory when warm. The database is asked only while the view is
 * loading or for a community it has not heard of yet (created a moment ago on another replica).
 */
export async function checkAccess(
  deps: Deps,
  input: { memberId: string; communityId: string; minRank?: number | undefined },
): Promise<AccessAnswer> {
  const warm = deps.view.check(input.communityId, input.memberId, input.minRank);
  if (warm) return warm;
  const community = await findCommunityById(deps.pool, input.communityId);
  if (!community) throw new CommunityNotFoundError(input.communityId);
  const [membership, role] = await Promise.all([
    findMembership(deps.pool, community.id, input.memberId),
    findRole(deps.pool, community.id, input.memberId),
  ]);
  if (membership && membership.version > 0) {
    deps.view.applyMembership(community.id, input.memberId, membership.tier, membership.version);
  }
  if (role) deps.view.applyRole(community.id, input.memberId, role.role, role.version);
  deps.view.addCommunity(community.id);
  return decide(membership?.tier ?? null, role?.role ?? null, input.minRank);
}
