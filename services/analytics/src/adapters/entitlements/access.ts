import { entitlementsRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { AccessPort } from '../../ports.ts';

/** The actor's standing in a community, from `entitlements.rpc.check` (answered from its memory). */
export function createAccessPort(rpc: RpcClient): AccessPort {
  return {
    async check(memberId, communityId) {
      const answer = await rpc.call(entitlementsRpc.check, { memberId, communityId });
      return { allowed: answer.allowed, role: answer.role };
    },
  };
}
