import { AppError, type Community, entitlementsRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { CommunityDirectory, CommunityInfo } from '../../ports.ts';

const TTL_MS = 15_000;

/**
 * Communities and roles from the entitlements service. Roles come from its `check` hot path.
 * Entitlements answers `getCommunity` by slug only, so a community is found by id by paging its
 * public directory (`listCommunities`) once and caching every page seen for `TTL_MS`; a lookup
 * by id in entitlements' contract would make this one call (asked for in the tipping report).
 */
export function createCommunityDirectory(rpc: RpcClient, now: () => number = Date.now): CommunityDirectory {
  const cache = new Map<string, { info: CommunityInfo; at: number }>();
  const remember = (c: Community) => cache.set(c.id, { info: { id: c.id, treasury: c.treasury }, at: now() });

  return {
    async get(communityId) {
      const hit = cache.get(communityId);
      if (hit && now() - hit.at < TTL_MS) return hit.info;
      let cursor: string | undefined;
      for (let page = 0; page < 1_000; page += 1) {
        const result = await rpc.call(entitlementsRpc.listCommunities, {
          limit: 100,
          ...(cursor ? { cursor } : {}),
        });
        for (const c of result.items) remember(c);
        if (result.items.some((c) => c.id === communityId) || !result.nextCursor) break;
        cursor = result.nextCursor;
      }
      const found = cache.get(communityId);
      return found && now() - found.at < TTL_MS ? found.info : null;
    },
    async roleOf(communityId, memberId) {
      try {
        const answer = await rpc.call(entitlementsRpc.check, { memberId, communityId });
        return answer.role;
      } catch (error) {
        if (error instanceof AppError && error.status === 404) return null;
        throw error;
      }
    },
  };
}
