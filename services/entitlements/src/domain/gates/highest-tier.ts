import type { Gate, Proof, TierRef } from '@coterie/contracts';
import { evaluateGate } from './evaluate-gate.ts';
import type { Facts } from './facts.ts';

export interface GatedTier extends TierRef {
  gate: Gate;
}

export interface HighestTierResult {
  tier: TierRef | null;
  /** The proofs of the tier held; empty without one. */
  via: Proof[];
}

/** A member holds the highest-ranked tier whose gate is met (API.md). */
export function highestTier(
  tiers: readonly GatedTier[],
  facts: Facts,
  context: { communityId?: string } = {},
): HighestTierResult {
  const byRank = [...tiers].sort((a, b) => b.rank - a.rank);
  for (const tier of byRank) {
    const result = evaluateGate(tier.gate, facts, { ...context, tierId: tier.id });
    if (result.met) return { tier: { id: tier.id, name: tier.name, rank: tier.rank }, via: result.via };
  }
  return { tier: null, via: [] };
}
