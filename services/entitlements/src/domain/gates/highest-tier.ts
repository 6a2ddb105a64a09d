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
  /**
   * Set when the gate of a tier ranked above `tier` could be neither proven nor refuted (a chain
   * read failed): `tier` is what is proven, the member may in fact hold more.
   */
  undetermined?: true;
}

/** A member holds the highest-ranked tier whose gate is met (API.md). */
export function highestTier(
  tiers: readonly GatedTier[],
  facts: Facts,
  context: { communityId?: string } = {},
): HighestTierResult {
  const byRank = [...tiers].sort((a, b) => b.rank - a.rank);
  let undetermined = false;
  for (const tier of byRank) {
    const result = evaluateGate(tier.gate, facts, { ...context, tierId: tier.id });
    if (result.met) {
      const held = { tier: { id: tier.id, name: tier.name, rank: tier.rank }, via: result.via };
      return undetermined ? { ...held, undetermined: true } : held;
    }
    if (result.unknown) undetermined = true;
  }
  return undetermined ? { tier: null, via: [], undetermined: true } : { tier: null, via: [] };
}
