import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { createCommunity } from '../../application/create-community.ts';
import type { Deps } from '../../ports.ts';

export function createCommunityEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.createCommunity, async (request) => ({
    community: await createCommunity(deps, request),
  }));
}
