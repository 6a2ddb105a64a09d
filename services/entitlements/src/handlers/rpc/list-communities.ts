import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { listCommunities } from '../../application/list-communities.ts';
import type { Deps } from '../../ports.ts';

export function listCommunitiesEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.listCommunities, async (request) => listCommunities(deps, request));
}
