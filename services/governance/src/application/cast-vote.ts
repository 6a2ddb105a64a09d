import { type TokenStrategy, type VoteView, voteCastV1 } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { type Address, getAddress, type Hex, hexToBytes, keccak256 } from 'viem';
import { VerificationUnavailableError } from '../adapters/chain/verify-vote-signature.ts';
import { isEligibleMember } from '../adapters/postgres/members-repository.ts';
import { findProposal, type ProposalRecord } from '../adapters/postgres/proposals-repository.ts';
import {
  deleteVote,
  findVoteBySignature,
  lockMemberVotes,
  upsertVote,
  type VoteRecord,
} from '../adapters/postgres/votes-repository.ts';
import { parseSignedChoice } from '../domain/ballot.ts';
import { domainMismatch, voteDomain, voteTypedData } from '../domain/eip712/vote-typed-data.ts';
import { ProposalNotFoundError, VoteRefusedError } from '../domain/errors.ts';
import { proposalStatus } from '../domain/proposal-status.ts';
import type { GovernanceDeps } from '../ports.ts';
import { toVoteView } from './proposal-view.ts';
import type { GovernanceInput } from './rpc-types.ts';

export interface CastVoteResult {
  vote: VoteView;
  outcome: 'created' | 'replaced' | 'duplicate';
}

/**
 * Accepts a signed vote. In order: the same signature again is answered with the stored vote
 * (idempotent); the message must be for this proposal, inside [startsAt, endsAt), with a timestamp
 * near now and a valid choice; the EIP-712 signature must verify in this community's domain
 * (EOA or ERC-1271); the voter needs power at the snapshot block (tier-member: a linked wallet of a
 * member of the electorate, power 1). One vote per address (per member for tier-member): a later
 * timestamp replaces the stored vote, an earlier one is refused as stale.
 */
export async function castVote(
  deps: GovernanceDeps,
  input: GovernanceInput<'castVote'>,
): Promise<CastVoteResult> {
  const proposal = await findProposal(deps.pool, input.communityId, input.proposalId);
  if (!proposal) throw new ProposalNotFoundError();
  const { message } = input;
  if (message.proposalId !== proposal.id) {
    throw new VoteRefusedError('vote_proposal_mismatch', 'The signed vote is for another proposal.', {
      signed: message.proposalId,
    });
  }
  const domain = voteDomain(proposal.chainId, proposal.communityId);
  if (input.domain) {
    const fields = domainMismatch(domain, input.domain);
    if (fields.length > 0) {
      throw new VoteRefusedError(
        'vote_domain_mismatch',
        `The vote was signed for another ${fields.includes('chainId') ? 'chain' : fields.includes('salt') ? 'community' : 'domain'}.`,
        { fields, expected: domain },
      );
    }
  }

  const signature = input.signature.toLowerCase() as Hex;
  const signatureHash = Buffer.from(hexToBytes(keccak256(signature)));
  const duplicate = await findVoteBySignature(deps.pool, proposal.id, signatureHash);
  if (duplicate) return { vote: toVoteView(duplicate), outcome: 'duplicate' };

  const now = deps.clock.now();
  assertOpen(proposal, now);
  if (Math.abs(message.timestamp * 1000 - now.getTime()) > deps.config.GOVERNANCE_VOTE_SKEW_MS) {
    throw new VoteRefusedError(
      'vote_timestamp_skew',
      `The vote's timestamp must be within ${Math.round(deps.config.GOVERNANCE_VOTE_SKEW_MS / 1000)} s of now.`,
    );
  }
  parseSignedChoice(proposal.type, proposal.choices.length, message.choice);

  const voter = getAddress(message.voter) as Address;
  const typedData = voteTypedData(domain, { ...message, voter });
  let valid: boolean;
  try {
    valid = await deps.chain.verifyVote(proposal.chainId, { address: voter, typedData, signature });
  } catch (error) {
    if (!(error instanceof VerificationUnavailableError)) throw error;
    throw new VoteRefusedError(
      'vote_verification_unavailable',
      'The signature could not be checked now; retry.',
    );
  }
  if (!valid) {
    throw new VoteRefusedError(
      'vote_signature_invalid',
      `The signature is not ${voter}'s for this vote in this community's domain (chain ${proposal.chainId}).`,
    );
  }

  const { power, memberId } = await votingPowerOf(deps, proposal, voter);
  if (power === 0n) {
    throw new VoteRefusedError(
      'no_voting_power',
      `${voter} has no voting power at block ${proposal.snapshotBlock}.`,
    );
  }

  const stored: VoteRecord = {
    proposalId: proposal.id,
    voter,
    memberId,
    choice: message.choice,
    reason: message.reason,
    signedAt: message.timestamp,
    power,
    typedData,
    signature,
    signatureHash,
    castAt: now,
  };
  const outcome = await withTransaction(deps.pool, async (client) => {
    // FOR SHARE: the closer's FOR UPDATE waits for us, so no vote lands after the final tally.
    const current = await findProposal(client, input.communityId, proposal.id, 'share');
    if (!current) throw new ProposalNotFoundError();
    assertOpen(current, deps.clock.now());
    let replacedOther = false;
    if (memberId) {
      for (const other of await lockMemberVotes(client, proposal.id, memberId)) {
        if (other.voter === voter) continue;
        if (other.signedAt >= stored.signedAt) throw stale();
        await deleteVote(client, proposal.id, other.voter);
        replacedOther = true;
      }
    }
    const written = await upsertVote(client, stored).catch((error: { code?: string }) => {
      if (error.code === '23505') throw stale();
      throw error;
    });
    if (written === 'kept') {
      if (await findVoteBySignature(client, proposal.id, signatureHash)) return 'duplicate' as const;
      throw stale();
    }
    const replaced = written === 'replaced' || replacedOther;
    await appendToOutbox(
      client,
      newEvent(
        voteCastV1,
        {
          proposalId: proposal.id,
          communityId: proposal.communityId,
          voter,
          memberId,
          choice: stored.choice,
          power: power.toString(),
          timestamp: stored.signedAt,
          replaced,
        },
        { source: 'governance', communityId: proposal.communityId },
      ),
    );
    return replaced ? ('replaced' as const) : ('created' as const);
  });
  if (outcome !== 'duplicate') deps.wakeRelay();
  return { vote: toVoteView(stored), outcome };
}

function assertOpen(proposal: ProposalRecord, now: Date): void {
  const status = proposalStatus(now, proposal);
  if (status === 'pending') throw new VoteRefusedError('voting_not_started', 'Voting has not started yet.');
  if (status === 'closed') throw new VoteRefusedError('voting_closed', 'Voting has ended.');
}

function stale(): VoteRefusedError {
  return new VoteRefusedError('vote_stale', 'A vote with a later (or the same) timestamp is already stored.');
}

async function votingPowerOf(
  deps: GovernanceDeps,
  proposal: ProposalRecord,
  voter: Address,
): Promise<{ power: bigint; memberId: string | null }> {
  if (proposal.strategy.kind === 'tier-member') {
    const memberId = await deps.identity.memberByAddress(voter);
    if (!memberId || !(await isEligibleMember(deps.pool, proposal.id, memberId))) {
      throw new VoteRefusedError(
        'not_eligible_member',
        `${voter} is not a linked wallet of a member who held the tier when the proposal was created.`,
      );
    }
    return { power: 1n, memberId };
  }
  const [power] = await deps.chain.votingPower(proposal.strategy as TokenStrategy, proposal.snapshotBlock, [
    voter,
  ]);
  return { power: power ?? 0n, memberId: null };
}
