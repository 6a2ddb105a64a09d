import { AppError, type Community, entitlementsRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { CommunityDirectory, CommunityInfo } from '../../ports.ts';

const TTL_MS = 15_000;

/**
 * Communities and roles from the entitlements service: `getCommunityById` (cached for `TTL_MS`)
 * and the `check` hot path for roles.
 */
export function createCommunityDirectory(rpc: RpcClient, now: () => number = Date.now): CommunityDirectory {
  const cache = new Map<string, { info: CommunityInfo; at: number }>();
  const remember = (c: Community) =>
    cache.set(c.id, { info: { id: c.id, treasury: c.treasury, tipping: c.tipping }, at: now() });
  const access = async (communityId: string, memberId: string) => {
    try {
      return await rpc.call(entitlementsRpc.check, { memberId, communityId });
    } catch (error) {
      if (error instanceof AppError && error.status === 404) return null;
      throw error;
    }
  };

  return {
    async get(communityId) {
      const hit = cache.get(communityId);
      if (hit && now() - hit.at < TTL_MS) return hit.info;
      try {
        const { community } = await rpc.call(entitlementsRpc.getCommunityById, { communityId });
        remember(community);
        return (cache.get(communityId) as { info: CommunityInfo }).info;
      } catch (error) {
        if (error instanceof AppError && error.status === 404) return null;
        throw error;
      }
    },
    async roleOf(communityId, memberId) {
      return (await access(communityId, memberId))?.role ?? null;
    },
    async isMember(communityId, memberId) {
      const answer = await access(communityId, memberId);
      return answer !== null && (answer.allowed || answer.role !== null);
    },
  };
}
