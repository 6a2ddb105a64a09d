import { claimDueMemberships } from '../adapters/postgres/memberships-repository.ts';
import type { Deps } from '../ports.ts';
import { evaluateMemberships } from './evaluate-memberships.ts';

/**
 * One pass of the safety net: claims up to `batchSize` memberships whose re-verification is due
 * and re-evaluates them together (one identity call, multicalls for the whole batch). The claim
 * is a lease: if this replica dies mid-batch the rows come due again after `leaseMs`.
 */
export async function reverifyDueMemberships(
  deps: Deps,
  options: { batchSize: number; leaseMs: number },
): Promise<number> {
  const targets = await claimDueMemberships(deps.pool, deps.now(), options.batchSize, options.leaseMs);
  if (targets.length === 0) return 0;
  // A chain that cannot be read now revokes no one: those rows come due again when the lease ends.
  await evaluateMemberships(deps, targets, {}, { ifUndetermined: 'keep' });
  return targets.length;
}
