import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { refreshMembership } from '../../application/refresh-membership.ts';
import type { Deps } from '../../ports.ts';

export function refreshMembershipEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.refreshMembership, async (request) => refreshMembership(deps, request));
}
