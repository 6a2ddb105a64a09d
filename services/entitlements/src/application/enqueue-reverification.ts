import { markCommunityDue } from '../adapters/postgres/memberships-repository.ts';
import type { Deps } from '../ports.ts';

/**
 * A community's tiers changed: every member evaluated there is re-verified by the loop, in
 * batches (one identity call and a few multicalls per thousand), instead of inside the request.
 */
export async function enqueueCommunityReverification(deps: Deps, communityId: string): Promise<void> {
  const due = await markCommunityDue(deps.pool, communityId, deps.now());
  if (due > 0) deps.wakeReverification();
}
