import { governanceRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { listProposals } from '../../application/list-proposals.ts';
import type { GovernanceDeps } from '../../ports.ts';

/** `governance.rpc.listProposals` ← GET /v1/communities/:c/proposals. */
export function listProposalsEndpoint(deps: GovernanceDeps): RpcEndpoint {
  return rpcEndpoint(governanceRpc.listProposals, (req) => listProposals(deps, req));
}
