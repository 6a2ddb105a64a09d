import { withTransaction } from '@coterie/db';
import type { Deps } from '../ports.ts';
import { applyMemberships, type MembershipChange, publishMembershipChanges } from './apply-memberships.ts';
import { computeMemberships, type MembershipTarget } from './compute-memberships.ts';

/** Re-reads every fact of these memberships now, persists them and publishes what changed. */
export async function evaluateMemberships(
  deps: Deps,
  targets: readonly MembershipTarget[],
  meta: { causationId?: string; correlationId?: string } = {},
): Promise<MembershipChange[]> {
  const startedAt = deps.now();
  const computed = await computeMemberships(deps, targets);
  const changes = await withTransaction(deps.pool, (client) =>
    applyMemberships(deps, client, computed, { startedAt, ...meta }),
  );
  publishMembershipChanges(deps, changes);
  return changes;
}
