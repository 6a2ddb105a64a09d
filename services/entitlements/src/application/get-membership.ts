import type { MembershipView } from '@coterie/contracts';
import { findMembership, toMembershipView } from '../adapters/postgres/memberships-repository.ts';
import { ChainUnavailableError } from '../domain/errors.ts';
import type { Deps } from '../ports.ts';
import { requireCommunity } from './authorize.ts';
import { evaluateMemberships } from './evaluate-memberships.ts';

/**
 * The stored membership; a member never evaluated here is evaluated on first look, so a holder
 * who never pressed "refresh" is not told they have no tier. If the chain cannot be read just
 * then, the member stays unevaluated (`checkedAt: null`) rather than stored as holding nothing.
 */
export async function getMembership(
  deps: Deps,
  input: { slug: string; memberId: string },
): Promise<MembershipView> {
  const community = await requireCommunity(deps.pool, input.slug);
  let row = await findMembership(deps.pool, community.id, input.memberId);
  if (!row || row.checkedAt === null) {
    await evaluateMemberships(
      deps,
      [{ communityId: community.id, memberId: input.memberId }],
      {},
      { ifUndetermined: 'fail' },
    ).catch((error: unknown) => {
      if (!(error instanceof ChainUnavailableError)) throw error;
    });
    row = await findMembership(deps.pool, community.id, input.memberId);
  }
  return toMembershipView(row);
}
