import type { VoteTypedData } from '@coterie/contracts';
import { getAddress } from 'viem';
import { findProposal } from '../adapters/postgres/proposals-repository.ts';
import { encodeBallot, parseBallot } from '../domain/ballot.ts';
import { voteDomain, voteTypedData } from '../domain/eip712/vote-typed-data.ts';
import { ChoiceInvalidError, ProposalNotFoundError, VoteRefusedError } from '../domain/errors.ts';
import { proposalStatus } from '../domain/proposal-status.ts';
import type { GovernanceDeps } from '../ports.ts';
import type { GovernanceInput } from './rpc-types.ts';

/**
 * The EIP-712 typed data the voter's wallet signs: the community's domain, and a `Vote` with the
 * choice in canonical JSON and the server's current time (Unix seconds).
 */
export async function buildVoteTypedData(
  deps: GovernanceDeps,
  input: GovernanceInput<'voteTypedData'>,
): Promise<VoteTypedData> {
  const proposal = await findProposal(deps.pool, input.communityId, input.proposalId);
  if (!proposal) throw new ProposalNotFoundError();
  const now = deps.clock.now();
  const status = proposalStatus(now, proposal);
  if (status === 'pending') throw new VoteRefusedError('voting_not_started', 'Voting has not started yet.');
  if (status === 'closed') throw new VoteRefusedError('voting_closed', 'Voting has ended.');
  let value: unknown = input.choice;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new ChoiceInvalidError('The choice is not valid JSON.');
    }
  }
  const ballot = parseBallot(proposal.type, proposal.choices.length, value);
  return voteTypedData(voteDomain(proposal.chainId, proposal.communityId), {
    proposalId: proposal.id,
    choice: encodeBallot(ballot),
    reason: input.reason,
    voter: getAddress(input.voter),
    timestamp: Math.floor(now.getTime() / 1000),
  });
}
