import type { Proof, TierRef } from '@coterie/contracts';
import { rolesOf } from '../adapters/postgres/roles-repository.ts';
import { entitledSubscriptions, graceEnds } from '../adapters/postgres/subscriptions-repository.ts';
import { gatedTiersOf } from '../adapters/postgres/tiers-repository.ts';
import { type ChainRead, type Facts, highestTier, requiredReads } from '../domain/gates/index.ts';
import type { Deps } from '../ports.ts';

export interface MembershipTarget {
  communityId: string;
  memberId: string;
}

export interface ComputedMembership extends MembershipTarget {
  tier: TierRef | null;
  via: Proof[];
  /** Re-check no later than this (a subscription's grace period ends). */
  recheckBy?: Date;
  /** A chain read this member's gates need failed: `tier` is only what could be proven. */
  undetermined?: true;
}

/**
 * Gathers the facts for many (community, member) pairs at once and computes each one's tier.
 * Reads no more than it must: one identity call, one query per table, and every chain read of
 * the whole batch deduplicated into multicalls. Writes nothing.
 */
export interface ComputeOptions {
  /** Chain reads at these blocks (per chain id) rather than the latest. */
  blockNumbers?: ReadonlyMap<number, bigint>;
}

export async function computeMemberships(
  deps: Deps,
  targets: readonly MembershipTarget[],
  options: ComputeOptions = {},
): Promise<ComputedMembership[]> {
  const db = deps.pool;
  if (targets.length === 0) return [];
  const now = deps.now();
  const communityIds = [...new Set(targets.map((t) => t.communityId))];
  const memberIds = [...new Set(targets.map((t) => t.memberId))];
  const [tiers, members, roles, subscriptions, graces] = await Promise.all([
    gatedTiersOf(db, communityIds),
    deps.members.getMembers(memberIds),
    rolesOf(db, targets),
    entitledSubscriptions(db, targets, now),
    graceEnds(db, targets, now),
  ]);

  const reads = new Map<string, ChainRead>();
  for (const t of targets) {
    const wallets = members.get(t.memberId)?.wallets ?? [];
    const gates = (tiers.get(t.communityId) ?? []).map((tier) => tier.gate);
    for (const read of requiredReads(gates, wallets)) reads.set(read.key, read);
  }
  const chain = await deps.readBalances(
    [...reads.values()],
    options.blockNumbers ? { blockNumbers: options.blockNumbers } : {},
  );
  if (chain.unknown.size > 0) {
    deps.logger.warn(
      { unknown: chain.unknown.size, reads: reads.size },
      'some chain reads failed; their gates stay closed',
    );
  }

  return targets.map((t) => {
    const key = `${t.communityId}:${t.memberId}`;
    const member = members.get(t.memberId);
    const facts: Facts = {
      subscriptions: {
        tierIds: subscriptions.get(key) ?? new Set(),
        communityIds: subscriptions.has(key) ? new Set([t.communityId]) : new Set(),
      },
      balances: chain.balances,
      nativeBalances: chain.nativeBalances,
      ownedTokenIds: chain.ownedTokenIds,
      role: roles.get(key) ?? null,
      wallets: member?.wallets ?? [],
      emails: member?.emails ?? [],
    };
    const result = highestTier(tiers.get(t.communityId) ?? [], facts, { communityId: t.communityId });
    const recheckBy = graces.get(key);
    return {
      ...t,
      tier: result.tier,
      via: result.via,
      ...(recheckBy ? { recheckBy } : {}),
      ...(result.undetermined ? { undetermined: true as const } : {}),
    };
  });
}
