import { identityRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import { type Address, getAddress } from 'viem';
import type { IdentityPort } from '../../ports.ts';

/** Wallet ↔ member lookups in the identity context, over NATS. */
export function createIdentityPort(rpc: RpcClient): IdentityPort {
  return {
    async memberByAddress(address) {
      return (await rpc.call(identityRpc.memberByAddress, { address })).memberId;
    },
    async walletsOf(memberId) {
      const { member } = await rpc.call(identityRpc.getMember, { memberId });
      return (member?.wallets ?? []).map((w) => getAddress(w) as Address);
    },
  };
}
