import { analyticsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { submitNps } from '../../application/submit-nps.ts';
import type { Deps } from '../../ports.ts';

export function submitNpsEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(analyticsRpc.submitNps, (request) => submitNps(deps, request));
}
