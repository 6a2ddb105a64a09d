import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { listTiers } from '../../application/list-tiers.ts';
import type { Deps } from '../../ports.ts';

export function listTiersEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.listTiers, (request) => listTiers(deps, request));
}
