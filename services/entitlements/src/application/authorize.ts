import type { Community, CommunityRole } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';
import { findCommunityBySlug } from '../adapters/postgres/communities-repository.ts';
import { findRole } from '../adapters/postgres/roles-repository.ts';
import { CommunityNotFoundError, ForbiddenError } from '../domain/errors.ts';

export async function requireCommunity(q: Queryable, slug: string): Promise<Community> {
  const community = await findCommunityBySlug(q, slug);
  if (!community) throw new CommunityNotFoundError(slug);
  return community;
}

/**
 * The actor's role in *this* community, if it is one of `allowed`. Roles are rows keyed by
 * community id, so an admin of A has no role at all in B and is refused there.
 */
export async function requireRole(
  q: Queryable,
  communityId: string,
  actorId: string,
  allowed: readonly CommunityRole[] = ['owner', 'admin'],
  options: { forUpdate?: boolean } = {},
): Promise<CommunityRole> {
  const row = await findRole(q, communityId, actorId, options);
  if (!row || !allowed.includes(row.role)) {
    throw new ForbiddenError(`only ${allowed.join(' or ')} of this community may do this`);
  }
  return row.role;
}
