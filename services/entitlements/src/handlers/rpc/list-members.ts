import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { listMembers } from '../../application/list-members.ts';
import type { Deps } from '../../ports.ts';

export function listMembersEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.listMembers, async (request) => listMembers(deps, request));
}
