import { analyticsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { parseRange, requireManager } from '../../application/authorize.ts';
import { computeSummary } from '../../application/get-summary.ts';
import type { Deps } from '../../ports.ts';

export function summaryEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(analyticsRpc.summary, async (request) => {
    const { from, to } = parseRange(request);
    await requireManager(deps, request.actorId, request.communityId);
    return computeSummary(deps.pool, request.communityId, from, to);
  });
}
