import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { getMembership } from '../../application/get-membership.ts';
import type { Deps } from '../../ports.ts';

export function getMembershipEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.getMembership, async (request) => getMembership(deps, request));
}
