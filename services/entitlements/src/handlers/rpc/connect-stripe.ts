import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { connectStripe } from '../../application/connect-stripe.ts';
import type { Deps } from '../../ports.ts';

export function connectStripeEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.connectStripe, async (request) => connectStripe(deps, request));
}
