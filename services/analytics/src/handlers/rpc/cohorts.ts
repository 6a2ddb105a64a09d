import { analyticsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { requireManager } from '../../application/authorize.ts';
import { computeCohorts } from '../../application/get-cohorts.ts';
import type { Deps } from '../../ports.ts';

export function cohortsEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(analyticsRpc.cohorts, async (request) => {
    await requireManager(deps, request.actorId, request.communityId);
    return { cohorts: await computeCohorts(deps.pool, request.communityId, deps.now()) };
  });
}
