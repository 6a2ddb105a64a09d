import { governanceRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { listVotes } from '../../application/list-votes.ts';
import type { GovernanceDeps } from '../../ports.ts';

/** `governance.rpc.listVotes` ← GET /v1/communities/:c/proposals/:id/votes. */
export function listVotesEndpoint(deps: GovernanceDeps): RpcEndpoint {
  return rpcEndpoint(governanceRpc.listVotes, (req) => listVotes(deps, req));
}
