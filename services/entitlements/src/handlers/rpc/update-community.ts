import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { updateCommunity } from '../../application/update-community.ts';
import type { Deps } from '../../ports.ts';

export function updateCommunityEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.updateCommunity, async (request) => ({
    community: await updateCommunity(deps, request),
  }));
}
