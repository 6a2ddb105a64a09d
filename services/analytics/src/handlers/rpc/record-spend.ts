import { analyticsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { recordSpend } from '../../application/record-spend.ts';
import type { Deps } from '../../ports.ts';

export function recordSpendEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(analyticsRpc.recordSpend, (request) => recordSpend(deps, request));
}
