import type { Community, TippingPolicy } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { updateCommunity as saveCommunity } from '../adapters/postgres/communities-repository.ts';
import { UnknownChainError } from '../domain/errors.ts';
import type { Deps } from '../ports.ts';
import { requireCommunity, requireRole } from './authorize.ts';

export interface UpdateCommunityInput {
  actorId: string;
  slug: string;
  patch: {
    name?: string | undefined;
    description?: string | undefined;
    treasury?: { chainId: number; address: string } | null | undefined;
    tipping?: TippingPolicy | undefined;
  };
}

export async function updateCommunity(deps: Deps, input: UpdateCommunityInput): Promise<Community> {
  const treasury = input.patch.treasury;
  if (treasury && !deps.chainIds.has(treasury.chainId)) throw new UnknownChainError(treasury.chainId);
  return withTransaction(deps.pool, async (client) => {
    const community = await requireCommunity(client, input.slug);
    await requireRole(client, community.id, input.actorId);
    return saveCommunity(client, community.id, input.patch);
  });
}
