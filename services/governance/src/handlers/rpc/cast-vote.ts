import { governanceRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { castVote } from '../../application/cast-vote.ts';
import type { GovernanceDeps } from '../../ports.ts';

/** `governance.rpc.castVote` ← POST /v1/communities/:c/proposals/:id/votes. */
export function castVoteEndpoint(deps: GovernanceDeps): RpcEndpoint {
  return rpcEndpoint(governanceRpc.castVote, (req) => castVote(deps, req));
}
