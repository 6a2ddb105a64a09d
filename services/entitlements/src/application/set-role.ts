import { type CommunityRole, roleChangedV1 } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { findRole, upsertRole } from '../adapters/postgres/roles-repository.ts';
import { ForbiddenError, OwnerRoleImmutableError } from '../domain/errors.ts';
import { type Deps, SOURCE } from '../ports.ts';
import { requireCommunity, requireRole } from './authorize.ts';
import { evaluateMemberships } from './evaluate-memberships.ts';

export interface SetRoleInput {
  actorId: string;
  slug: string;
  memberId: string;
  role: 'admin' | 'moderator' | 'member';
}

/**
 * Owner or admin only. The owner's role never changes, and only the owner grants or takes away
 * `admin`: otherwise two admins could demote each other, or one could lock the other out.
 */
export async function setRole(
  deps: Deps,
  input: SetRoleInput,
): Promise<{ memberId: string; role: CommunityRole }> {
  const result = await withTransaction(deps.pool, async (client) => {
    const community = await requireCommunity(client, input.slug);
    const actorRole = await requireRole(client, community.id, input.actorId);
    const current = await findRole(client, community.id, input.memberId, { forUpdate: true });
    if (current?.role === 'owner') throw new OwnerRoleImmutableError();
    if (actorRole !== 'owner' && (input.role === 'admin' || current?.role === 'admin')) {
      throw new ForbiddenError('only the owner grants or changes the admin role');
    }
    if (current?.role === input.role) return { communityId: community.id, row: current, changed: false };
    const row = await upsertRole(client, {
      communityId: community.id,
      memberId: input.memberId,
      role: input.role,
      grantedBy: input.actorId,
    });
    await appendToOutbox(
      client,
      newEvent(
        roleChangedV1,
        {
          communityId: community.id,
          memberId: input.memberId,
          role: input.role,
          previousRole: current?.role ?? null,
          changedBy: input.actorId,
          version: row.version,
        },
        { source: SOURCE, communityId: community.id },
      ),
    );
    return { communityId: community.id, row, changed: true };
  });
  if (result.changed) {
    deps.view.applyRole(result.communityId, input.memberId, input.role, result.row.version);
    deps.wakeRelay();
    // A `role` gate may now be met or lost. Best effort: the re-verification loop is the backstop.
    await evaluateMemberships(deps, [{ communityId: result.communityId, memberId: input.memberId }]).catch(
      (error) =>
        deps.logger.warn(
          { err: error, memberId: input.memberId },
          'could not re-evaluate after a role change',
        ),
    );
  }
  return { memberId: input.memberId, role: input.role };
}
