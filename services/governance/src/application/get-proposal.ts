import type { Proposal } from '@coterie/contracts';
import { getAddress } from 'viem';
import { findProposal } from '../adapters/postgres/proposals-repository.ts';
import { findCountedVotes, findVotesOf } from '../adapters/postgres/votes-repository.ts';
import { ProposalNotFoundError } from '../domain/errors.ts';
import type { GovernanceDeps } from '../ports.ts';
import { toProposalView } from './proposal-view.ts';
import type { GovernanceInput } from './rpc-types.ts';

/** One proposal with its live tally (final once closed), status, quorum and the viewer's vote. */
export async function getProposal(
  deps: GovernanceDeps,
  input: GovernanceInput<'getProposal'>,
): Promise<Proposal> {
  const proposal = await findProposal(deps.pool, input.communityId, input.proposalId);
  if (!proposal) throw new ProposalNotFoundError();
  const viewers = (input.viewerAddresses ?? []).map((a) => getAddress(a));
  const [votes, mine] = await Promise.all([
    proposal.finalTally ? [] : findCountedVotes(deps.pool, [proposal.id]),
    findVotesOf(deps.pool, [proposal.id], viewers),
  ]);
  return toProposalView(proposal, votes, deps.clock.now(), mine[0]);
}
