import { analyticsRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { exportMemberData } from '../../application/export-member-data.ts';
import type { Deps } from '../../ports.ts';

/** `analytics.rpc.exportMemberData` ← GET /v1/me/data. */
export function exportMemberDataEndpoint(deps: Deps): RpcEndpoint {
  return rpcEndpoint(analyticsRpc.exportMemberData, (request) => exportMemberData(deps, request));
}
