import { type Gate, type Perk, type Tier, type TierPrice, tierCreatedV1 } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { uuidv7 } from 'uuidv7';
import { isUniqueViolation } from '../adapters/postgres/pg-errors.ts';
import { findTier, insertTier } from '../adapters/postgres/tiers-repository.ts';
import { TierRankTakenError, UnknownChainError } from '../domain/errors.ts';
import { checksumGate, gateChains } from '../domain/gates/index.ts';
import { type Deps, SOURCE } from '../ports.ts';
import { requireCommunity, requireRole } from './authorize.ts';
import { enqueueCommunityReverification } from './enqueue-reverification.ts';
import { ensureTierPrice } from './ensure-tier-price.ts';

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
        gate: checksumGate(input.tier.gate),
      });
      await appendToOutbox(
        client,
        newEvent(tierCreatedV1, { tier: created }, { source: SOURCE, communityId: community.id }),
      );
      return created;
    });
    deps.wakeRelay();
    await afterTierWrite(deps, tier);
    return tier;
  } catch (error) {
    if (isUniqueViolation(error, 'tiers_community_id_rank_key'))
      throw new TierRankTakenError(input.tier.rank);
    throw error;
  }
}

/**
 * After a tier is created or changed: a priced tier gets its Stripe Product/Price (a failure
 * here is logged, and checkout creates them later with the same idempotency keys), and the
 * community's members are re-verified against the new set of tiers.
 */
export async function afterTierWrite(deps: Deps, tier: Tier): Promise<void> {
  if (deps.stripe && tier.price) {
    const record = await findTier(deps.pool, tier.communityId, tier.id);
    if (record) {
      await ensureTierPrice(deps, record).catch((error) =>
        deps.logger.warn(
          { err: error, tierId: tier.id },
          'could not create the Stripe price; checkout will retry',
        ),
      );
    }
  }
  // The tier is written: a failure to hurry the re-verification must not turn that into an
  // error (members are re-verified by the periodic loop anyway).
  await enqueueCommunityReverification(deps, tier.communityId).catch((error) =>
    deps.logger.warn(
      { err: error, communityId: tier.communityId },
      'could not mark the community for re-verification; the periodic loop will',
    ),
  );
}
