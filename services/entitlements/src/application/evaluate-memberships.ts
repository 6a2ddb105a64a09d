import { withTransaction } from '@coterie/db';
import { ChainUnavailableError } from '../domain/errors.ts';
import type { Deps } from '../ports.ts';
import { applyMemberships, type MembershipChange, publishMembershipChanges } from './apply-memberships.ts';
import { computeMemberships, type MembershipTarget } from './compute-memberships.ts';

export interface EvaluateOptions {
  /**
   * What to do with a membership a failed chain read left undetermined:
   * - `apply` (default): persist what could be proven; an unknown never grants (fail closed).
   *   For re-evaluations caused by a change (a wallet unlinked, a subscription ended).
   * - `fail`: write nothing and throw `ChainUnavailableError` (a member asking for a refresh).
   * - `keep`: leave that membership as it stands, write the others (the re-verification loop:
   *   a node's bad minute must not revoke every holder; the lease brings them back later).
   */
  ifUndetermined?: 'apply' | 'fail' | 'keep';
}

/** Re-reads every fact of these memberships now, persists them and publishes what changed. */
export async function evaluateMemberships(
  deps: Deps,
  targets: readonly MembershipTarget[],
  meta: { causationId?: string; correlationId?: string } = {},
  options: EvaluateOptions = {},
): Promise<MembershipChange[]> {
  const startedAt = deps.now();
  let computed = await computeMemberships(deps, targets);
  const undetermined = computed.filter((m) => m.undetermined).length;
  if (undetermined > 0 && options.ifUndetermined === 'fail') throw new ChainUnavailableError();
  if (undetermined > 0 && options.ifUndetermined === 'keep') {
    deps.logger.warn({ undetermined }, 'chain reads failed; those memberships stay as they are for now');
    computed = computed.filter((m) => !m.undetermined);
  }
  const changes = await withTransaction(deps.pool, (client) =>
    applyMemberships(deps, client, computed, { startedAt, ...meta }),
  );
  publishMembershipChanges(deps, changes);
  return changes;
}
