import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { getCommunity } from '../../application/get-community.ts';
import type { Deps } from '../../ports.ts';

export function getCommunityEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.getCommunity, async (request) => ({
    community: await getCommunity(deps, request),
  }));
}
