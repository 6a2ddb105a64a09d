import { type Gate, type Perk, type Tier, type TierPrice, tierCreatedV1 } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { uuidv7 } from 'uuidv7';
import { isUniqueViolation } from '../adapters/postgres/pg-errors.ts';
import { insertTier } from '../adapters/postgres/tiers-repository.ts';
import { TierRankTakenError, UnknownChainError } from '../domain/errors.ts';
import { gateChains } from '../domain/gates/index.ts';
import { type Deps, SOURCE } from '../ports.ts';
import { requireCommunity, requireRole } from './authorize.ts';

export interface CreateTierInput {
  actorId: string;
  slug: string;
  tier: {
    name: string;
    description: string;
    rank: number;
    perks: Perk[];
    price?: TierPrice | undefined;
    /** Already shape-checked by the contract; here it is checked against this deployment. */
    gate: Gate;
  };
}

export async function createTier(deps: Deps, input: CreateTierInput): Promise<Tier> {
  const unknown = gateChains(input.tier.gate).find((chainId) => !deps.chainIds.has(chainId));
  if (unknown !== undefined) throw new UnknownChainError(unknown);
  try {
    const tier = await withTransaction(deps.pool, async (client) => {
      const community = await requireCommunity(client, input.slug);
      await requireRole(client, community.id, input.actorId);
      const created = await insertTier(client, {
        id: uuidv7(),
        communityId: community.id,
        ...input.tier,
      });
      await appendToOutbox(
        client,
        newEvent(tierCreatedV1, { tier: created }, { source: SOURCE, communityId: community.id }),
      );
      return created;
    });
    deps.wakeRelay();
    return tier;
  } catch (error) {
    if (isUniqueViolation(error, 'tiers_community_id_rank_key'))
      throw new TierRankTakenError(input.tier.rank);
    throw error;
  }
}
