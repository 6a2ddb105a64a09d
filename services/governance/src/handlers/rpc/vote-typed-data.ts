import { governanceRpc } from '@coterie/contracts';
import { type RpcEndpoint, rpcEndpoint } from '@coterie/messaging';
import { buildVoteTypedData } from '../../application/build-vote-typed-data.ts';
import type { GovernanceDeps } from '../../ports.ts';

/** `governance.rpc.voteTypedData` ← GET /v1/communities/:c/proposals/:id/vote-typed-data. */
export function voteTypedDataEndpoint(deps: GovernanceDeps): RpcEndpoint {
  return rpcEndpoint(governanceRpc.voteTypedData, (req) => buildVoteTypedData(deps, req));
}
