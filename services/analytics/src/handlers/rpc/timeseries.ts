import { analyticsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { parseRange, requireManager } from '../../application/authorize.ts';
import { computeTimeseries } from '../../application/get-timeseries.ts';
import type { Deps } from '../../ports.ts';

export function timeseriesEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(analyticsRpc.timeseries, async (request) => {
    const { from, to } = parseRange(request);
    await requireManager(deps, request.actorId, request.communityId);
    return computeTimeseries(deps.pool, { ...request, from, to });
  });
}
