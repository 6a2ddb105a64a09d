import { entitlementsRpc } from '@coterie/contracts';
import type { RpcClient } from '@coterie/messaging';
import type { EntitlementsPort } from '../../ports.ts';

/** `entitlements.rpc.check` over NATS: the member's role and tier in a community (answered from memory). */
export function createEntitlementsPort(rpc: RpcClient): EntitlementsPort {
  return {
    check: (input) => rpc.call(entitlementsRpc.check, input),
  };
}
