import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { updateTier } from '../../application/update-tier.ts';
import type { Deps } from '../../ports.ts';

export function updateTierEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.updateTier, async (request) => ({
    tier: await updateTier(deps, request),
  }));
}
