import type { MembershipView } from '@coterie/contracts';
import { findMembership, toMembershipView } from '../adapters/postgres/memberships-repository.ts';
import type { Deps } from '../ports.ts';
import { requireCommunity } from './authorize.ts';
import { evaluateMemberships } from './evaluate-memberships.ts';

/**
 * `POST …/membership/refresh`: re-reads the chain (and everything else) now. When a chain read
 * fails or times out it answers 503 `chain_unavailable` and changes nothing: an unknown never
 * grants, and a member is not stripped of a tier on a node's bad minute either (the watcher and
 * the re-verification loop revoke on what the chain does say).
 */
export async function refreshMembership(
  deps: Deps,
  input: { slug: string; memberId: string },
): Promise<MembershipView> {
  const community = await requireCommunity(deps.pool, input.slug);
  await evaluateMemberships(
    deps,
    [{ communityId: community.id, memberId: input.memberId }],
    {},
    { ifUndetermined: 'fail' },
  );
  return toMembershipView(await findMembership(deps.pool, community.id, input.memberId));
}
