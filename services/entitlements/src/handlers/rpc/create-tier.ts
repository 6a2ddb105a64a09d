import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { createTier } from '../../application/create-tier.ts';
import type { Deps } from '../../ports.ts';

export function createTierEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.createTier, async (request) => ({
    tier: await createTier(deps, request),
  }));
}
