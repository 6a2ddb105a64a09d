import { ForbiddenError, InvalidRangeError } from '../domain/errors.ts';
import type { Deps } from '../ports.ts';

/** Analytics is for the community's owner and admins. */
export async function requireManager(deps: Deps, actorId: string, communityId: string): Promise<void> {
  const { role } = await deps.access.check(actorId, communityId);
  if (role !== 'owner' && role !== 'admin') throw new ForbiddenError();
}

/** Members (holding a tier, or with a role) answer the community's survey. */
export async function requireMember(deps: Deps, actorId: string, communityId: string): Promise<void> {
  const { allowed, role } = await deps.access.check(actorId, communityId);
  if (!allowed && role === null)
    throw new ForbiddenError('only members of this community may answer its survey');
}

const MAX_RANGE_MS = 800 * 86_400_000;

/** A half-open range [from, to) of at most ~2 years. */
export function parseRange(input: { from: string; to: string }): { from: Date; to: Date } {
  const from = new Date(input.from);
  const to = new Date(input.to);
  if (!(from < to)) throw new InvalidRangeError('from must be before to');
  if (to.getTime() - from.getTime() > MAX_RANGE_MS)
    throw new InvalidRangeError('a range spans at most 800 days');
  return { from, to };
}
