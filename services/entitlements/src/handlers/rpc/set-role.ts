import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { setRole } from '../../application/set-role.ts';
import type { Deps } from '../../ports.ts';

export function setRoleEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.setRole, async (request) => setRole(deps, request));
}
