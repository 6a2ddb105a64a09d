import { governanceRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { createProposal } from '../../application/create-proposal.ts';
import type { GovernanceDeps } from '../../ports.ts';

/** `governance.rpc.createProposal` ← POST /v1/communities/:c/proposals. */
export function createProposalEndpoint(deps: GovernanceDeps): RpcEndpoint {
  return rpcEndpoint(governanceRpc.createProposal, async (req) => ({
    proposal: await createProposal(deps, req),
  }));
}
