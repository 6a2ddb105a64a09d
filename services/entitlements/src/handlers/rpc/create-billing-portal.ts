import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { createBillingPortal } from '../../application/create-billing-portal.ts';
import type { Deps } from '../../ports.ts';

export function createBillingPortalEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.createBillingPortal, async (request) =>
    createBillingPortal(deps, request),
  );
}
