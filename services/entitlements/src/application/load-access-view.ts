import { allCommunityIds } from '../adapters/postgres/communities-repository.ts';
import { allMemberships } from '../adapters/postgres/memberships-repository.ts';
import { allRoles } from '../adapters/postgres/roles-repository.ts';
import type { Deps } from '../ports.ts';

/** Fills the in-memory view from the database at start; afterwards events keep it current. */
export async function loadAccessView(deps: Deps): Promise<void> {
  const [communities, memberships, roles] = await Promise.all([
    allCommunityIds(deps.pool),
    allMemberships(deps.pool),
    allRoles(deps.pool),
  ]);
  for (const id of communities) deps.view.addCommunity(id);
  for (const m of memberships) deps.view.applyMembership(m.communityId, m.memberId, m.tier, m.version);
  for (const r of roles) deps.view.applyRole(r.communityId, r.memberId, r.role, r.version);
  deps.view.markReady();
}
