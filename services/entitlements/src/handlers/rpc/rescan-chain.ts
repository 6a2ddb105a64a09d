import { entitlementsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { rescanChain } from '../../application/rescan-chain.ts';
import type { Deps } from '../../ports.ts';

/** `entitlements.rpc.rescanChain`: operators rewind the Transfer-log watcher (`pnpm rescan:chain`). */
export function rescanChainEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(entitlementsRpc.rescanChain, async (request) => rescanChain(deps, request));
}
