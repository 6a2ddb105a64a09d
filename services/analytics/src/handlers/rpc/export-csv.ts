import { analyticsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { parseRange, requireManager } from '../../application/authorize.ts';
import { computeTimeseries } from '../../application/get-timeseries.ts';
import { seriesToCsv } from '../../domain/kpi/index.ts';
import type { Deps } from '../../ports.ts';

export function exportCsvEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(analyticsRpc.exportCsv, async (request) => {
    const { from, to } = parseRange(request);
    await requireManager(deps, request.actorId, request.communityId);
    const { points } = await computeTimeseries(deps.pool, { ...request, from, to });
    const day = (d: Date) => d.toISOString().slice(0, 10);
    return {
      filename: `${request.metric}-${request.interval}-${day(from)}-${day(new Date(to.getTime() - 1))}.csv`,
      csv: seriesToCsv(points),
    };
  });
}
