import { type Tier, tierUpdatedV1 } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { isUniqueViolation } from '../adapters/postgres/pg-errors.ts';
import { findTier, type TierPatch, updateTierRow } from '../adapters/postgres/tiers-repository.ts';
import { TierNotFoundError, TierRankTakenError, UnknownChainError } from '../domain/errors.ts';
import { checksumGate, gateChains } from '../domain/gates/index.ts';
import { type Deps, SOURCE } from '../ports.ts';
import { requireCommunity, requireRole } from './authorize.ts';
import { afterTierWrite } from './create-tier.ts';

export interface UpdateTierInput {
  actorId: string;
  slug: string;
  tierId: string;
  patch: TierPatch;
}

const samePrice = (a: Tier['price'], b: Tier['price']) =>
  a === b ||
  (a !== null && b !== null && a.value === b.value && a.currency === b.currency && a.interval === b.interval);

/**
 * Owner or admin. Publishes `tier.updated`; a new price gets a new Stripe Price (Prices are
 * immutable; existing subscribers keep theirs until they change plan); members are re-verified.
 */
export async function updateTier(deps: Deps, input: UpdateTierInput): Promise<Tier> {
  const gate = input.patch.gate;
  const unknown = gate ? gateChains(gate).find((chainId) => !deps.chainIds.has(chainId)) : undefined;
  if (unknown !== undefined) throw new UnknownChainError(unknown);
  let tier: Tier;
  try {
    tier = await withTransaction(deps.pool, async (client) => {
      const community = await requireCommunity(client, input.slug);
      await requireRole(client, community.id, input.actorId);
      const current = await findTier(client, community.id, input.tierId, { forUpdate: true });
      if (!current) throw new TierNotFoundError(input.tierId);
      const patch: TierPatch = { ...input.patch, ...(gate ? { gate: checksumGate(gate) } : {}) };
      if (patch.price !== undefined && samePrice(patch.price, current.price)) delete patch.price;
      const updated = await updateTierRow(client, current.id, patch);
      await appendToOutbox(
        client,
        newEvent(tierUpdatedV1, { tier: updated }, { source: SOURCE, communityId: community.id }),
      );
      return updated;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'tiers_community_id_rank_key') && input.patch.rank !== undefined) {
      throw new TierRankTakenError(input.patch.rank);
    }
    throw error;
  }
  deps.wakeRelay();
  await afterTierWrite(deps, tier);
  return tier;
}
