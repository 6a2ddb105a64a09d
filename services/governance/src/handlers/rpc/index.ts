import type { RpcEndpoint } from '@coterie/messaging';
import type { GovernanceDeps } from '../../ports.ts';
import { castVoteEndpoint } from './cast-vote.ts';
import { createProposalEndpoint } from './create-proposal.ts';
import { exportMemberDataEndpoint } from './export-member-data.ts';
import { getProposalEndpoint } from './get-proposal.ts';
import { getSettingsEndpoint } from './get-settings.ts';
import { listProposalsEndpoint } from './list-proposals.ts';
import { listVotesEndpoint } from './list-votes.ts';
import { setSettingsEndpoint } from './set-settings.ts';
import { voteTypedDataEndpoint } from './vote-typed-data.ts';

/** NATS endpoints the gateway and other services call (`governance.rpc.<action>`); `health` comes from the kit. */
export function rpcEndpoints(deps: GovernanceDeps): RpcEndpoint[] {
  return [
    createProposalEndpoint(deps),
    listProposalsEndpoint(deps),
    getProposalEndpoint(deps),
    voteTypedDataEndpoint(deps),
    castVoteEndpoint(deps),
    listVotesEndpoint(deps),
    getSettingsEndpoint(deps),
    setSettingsEndpoint(deps),
    exportMemberDataEndpoint(deps),
  ];
}
