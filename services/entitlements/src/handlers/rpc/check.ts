import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { checkAccess } from '../../application/check-access.ts';
import type { Deps } from '../../ports.ts';

/** `entitlements.rpc.check`: the gateway's guard calls it on every gated route. */
export function checkEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.check, async (request) => checkAccess(deps, request));
}
