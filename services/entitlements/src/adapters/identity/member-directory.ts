import { identityRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { MemberDirectory, MemberFacts } from '../../ports.ts';

const MAX_PER_CALL = 1_000;
/** `memberByAddress` takes one address: this many run at once. */
const ADDRESS_CONCURRENCY = 16;

/** Asks identity: `getMember` for one member, `getMembers` in chunks of 1,000 for a batch. */
export function createMemberDirectory(rpc: RpcClient): MemberDirectory {
  return {
    async getMembers(memberIds) {
      const ids = [...new Set(memberIds)];
      const out = new Map<string, MemberFacts>();
      if (ids.length === 1) {
        const { member } = await rpc.call(identityRpc.getMember, { memberId: ids[0] as string });
        if (member) out.set(member.id, { wallets: member.wallets, emails: member.emails });
        return out;
      }
      for (let i = 0; i < ids.length; i += MAX_PER_CALL) {
        const { members } = await rpc.call(identityRpc.getMembers, {
          memberIds: ids.slice(i, i + MAX_PER_CALL),
        });
        for (const m of members) out.set(m.id, { wallets: m.wallets, emails: m.emails });
      }
      return out;
    },
    async memberIdsByAddress(addresses) {
      const queue = [...new Set(addresses.map((a) => a.toLowerCase()))];
      const out = new Map<string, string>();
      const worker = async () => {
        for (let address = queue.pop(); address !== undefined; address = queue.pop()) {
          const { memberId } = await rpc.call(identityRpc.memberByAddress, { address });
          if (memberId) out.set(address, memberId);
        }
      };
      await Promise.all(Array.from({ length: Math.min(ADDRESS_CONCURRENCY, queue.length) }, worker));
      return out;
    },
  };
}
