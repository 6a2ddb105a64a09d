import { identityRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { MemberDirectory } from '../../ports.ts';

/** Members and their wallets, from the identity service (never its tables). */
export function createMemberDirectory(rpc: RpcClient): MemberDirectory {
  return {
    async wallets(memberId) {
      const { member } = await rpc.call(identityRpc.getMember, { memberId });
      return member ? member.wallets : null;
    },
    async memberByAddress(address) {
      const { memberId } = await rpc.call(identityRpc.memberByAddress, { address });
      return memberId;
    },
  };
}
