import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { createCheckout } from '../../application/create-checkout.ts';
import type { Deps } from '../../ports.ts';

export function createCheckoutEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.createCheckout, async (request) => createCheckout(deps, request));
}
