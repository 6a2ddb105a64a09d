import { type Community, entitlementsRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import { slugOf } from '../routes/communities.ts';

export interface CommunityDirectory {
  /** The community a `:c` slug names (404 `community_not_found` otherwise). */
  bySlug(params: { c: string }): Promise<Community>;
}

const TTL_MS = 10_000;

/**
 * Slug → community for the routes of other contexts, which take community ids. A slug never
 * changes owner, so a short cache only saves the round trip.
 */
export function createCommunityDirectory(rpc: RpcClient): CommunityDirectory {
  const cache = new Map<string, { community: Community; expires: number }>();
  return {
    async bySlug(params) {
      const slug = slugOf(params);
      const hit = cache.get(slug);
      if (hit && hit.expires > Date.now()) return hit.community;
      const { community } = await rpc.call(entitlementsRpc.getCommunity, { slug });
      if (cache.size > 10_000) cache.clear();
      cache.set(slug, { community, expires: Date.now() + TTL_MS });
      return community;
    },
  };
}
