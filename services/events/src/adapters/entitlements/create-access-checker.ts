import { entitlementsRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { AccessChecker } from '../../ports.ts';

/** `entitlements.rpc.check` (answered from entitlements' memory): the member's tier and role. */
export function createAccessChecker(rpc: RpcClient): AccessChecker {
  return {
    async check(communityId, memberId) {
      const answer = await rpc.call(entitlementsRpc.check, { communityId, memberId });
      return { memberId, tierRank: answer.tier?.rank ?? null, role: answer.role };
    },
  };
}
