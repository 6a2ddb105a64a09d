import type { Envelope } from '@coterie/contracts';
import { handleOnce } from '@coterie/messaging';
import { communitiesWithTiers } from '../adapters/postgres/tiers-repository.ts';
import type { Deps } from '../ports.ts';
import { applyMemberships, type MembershipChange, publishMembershipChanges } from './apply-memberships.ts';
import { computeMemberships } from './compute-memberships.ts';

/**
 * A member's wallets changed: re-evaluate them in every community that has tiers (a new wallet
 * can qualify them where they never were). The facts are gathered first, outside any
 * transaction; the memberships and the inbox claim then commit together, exactly once.
 */
export async function reevaluateMemberEverywhere(
  deps: Deps,
  input: { memberId: string; event: Pick<Envelope, 'id' | 'correlationId'>; consumer: string },
): Promise<'applied' | 'duplicate'> {
  const { rows } = await deps.pool.query('SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2', [
    input.consumer,
    input.event.id,
  ]);
  if (rows.length > 0) return 'duplicate';
  const communityIds = await communitiesWithTiers(deps.pool);
  const startedAt = deps.now();
  const computed = await computeMemberships(
    deps,
    communityIds.map((communityId) => ({ communityId, memberId: input.memberId })),
  );
  let changes: MembershipChange[] = [];
  const outcome = await handleOnce(deps.pool, input.consumer, input.event, async (client) => {
    changes = await applyMemberships(deps, client, computed, {
      startedAt,
      causationId: input.event.id,
      correlationId: input.event.correlationId,
    });
  });
  publishMembershipChanges(deps, changes);
  return outcome;
}
