import { type Community, communityCreatedV1, roleChangedV1, type TippingPolicy } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { uuidv7 } from 'uuidv7';
import { insertCommunity } from '../adapters/postgres/communities-repository.ts';
import { isUniqueViolation } from '../adapters/postgres/pg-errors.ts';
import { upsertRole } from '../adapters/postgres/roles-repository.ts';
import { SlugTakenError, UnknownChainError } from '../domain/errors.ts';
import { type Deps, SOURCE } from '../ports.ts';

export interface CreateCommunityInput {
  actorId: string;
  slug: string;
  name: string;
  description: string;
  treasury?: { chainId: number; address: string } | undefined;
  tipping?: TippingPolicy | undefined;
}

/** The caller becomes the owner; both facts are published (the role so replicas' views learn it). */
export async function createCommunity(deps: Deps, input: CreateCommunityInput): Promise<Community> {
  if (input.treasury && !deps.chainIds.has(input.treasury.chainId)) {
    throw new UnknownChainError(input.treasury.chainId);
  }
  const id = uuidv7();
  let role: Awaited<ReturnType<typeof upsertRole>>;
  let community: Community;
  try {
    [community, role] = await withTransaction(deps.pool, async (client) => {
      const created = await insertCommunity(client, {
        id,
        slug: input.slug,
        name: input.name,
        description: input.description,
        treasury: input.treasury ?? null,
        tipping: input.tipping ?? 'anyone',
        createdBy: input.actorId,
      });
      const owner = await upsertRole(client, {
        communityId: id,
        memberId: input.actorId,
        role: 'owner',
        grantedBy: input.actorId,
      });
      const created_ = newEvent(
        communityCreatedV1,
        { communityId: id, slug: created.slug, name: created.name, ownerId: input.actorId },
        { source: SOURCE, communityId: id },
      );
      await appendToOutbox(client, created_);
      await appendToOutbox(
        client,
        newEvent(
          roleChangedV1,
          {
            communityId: id,
            memberId: input.actorId,
            role: 'owner',
            previousRole: null,
            changedBy: input.actorId,
            version: owner.version,
          },
          {
            source: SOURCE,
            communityId: id,
            causationId: created_.id,
            correlationId: created_.correlationId,
          },
        ),
      );
      return [created, owner] as const;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'communities_slug_key')) throw new SlugTakenError(input.slug);
    throw error;
  }
  deps.view.addCommunity(id);
  deps.view.applyRole(id, input.actorId, 'owner', role.version);
  deps.wakeRelay();
  return community;
}
