import { governanceRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { getProposal } from '../../application/get-proposal.ts';
import type { GovernanceDeps } from '../../ports.ts';

/** `governance.rpc.getProposal` ← GET /v1/communities/:c/proposals/:id. */
export function getProposalEndpoint(deps: GovernanceDeps): RpcEndpoint {
  return rpcEndpoint(governanceRpc.getProposal, async (req) => ({ proposal: await getProposal(deps, req) }));
}
