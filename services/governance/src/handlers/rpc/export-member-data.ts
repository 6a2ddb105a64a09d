import { governanceRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { exportMemberData } from '../../application/export-member-data.ts';
import type { GovernanceDeps } from '../../ports.ts';

/** `governance.rpc.exportMemberData` ← GET /v1/me/data. */
export function exportMemberDataEndpoint(deps: GovernanceDeps): RpcEndpoint {
  return rpcEndpoint(governanceRpc.exportMemberData, (req) => exportMemberData(deps, req));
}
