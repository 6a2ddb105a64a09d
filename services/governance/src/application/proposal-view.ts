import type { Proposal, Tally, VoteView } from '@coterie/contracts';
import type { ProposalRecord } from '../adapters/postgres/proposals-repository.ts';
import type { VoteRecord } from '../adapters/postgres/votes-repository.ts';
import { parseSignedChoice } from '../domain/ballot.ts';
import { proposalStatus } from '../domain/proposal-status.ts';
import { quorumReached, tally } from '../domain/tally/index.ts';

/** The tally of stored votes (their choices were validated when cast), as decimal strings. */
export function computeTally(
  proposal: Pick<ProposalRecord, 'type' | 'choices'>,
  votes: readonly { choice: string; power: bigint }[],
): Tally {
  const result = tally(
    proposal.type,
    proposal.choices.length,
    votes.map((v) => ({
      ballot: parseSignedChoice(proposal.type, proposal.choices.length, v.choice),
      power: v.power,
    })),
  );
  return {
    unit: result.unit,
    scores: result.scores.map(String),
    totalPower: result.totalPower.toString(),
    votes: result.votes,
  };
}

export function toVoteView(vote: VoteRecord): VoteView {
  return {
    voter: vote.voter,
    choice: vote.choice,
    reason: vote.reason,
    power: vote.power.toString(),
    timestamp: vote.signedAt,
    castAt: vote.castAt.toISOString(),
  };
}

/** A proposal as clients see it: the final tally once closed, the live one (from `votes`) before. */
export function toProposalView(
  p: ProposalRecord,
  votes: readonly { choice: string; power: bigint }[],
  now: Date,
  myVote: VoteRecord | undefined,
): Proposal {
  const t = p.finalTally ?? computeTally(p, votes);
  return {
    id: p.id,
    communityId: p.communityId,
    title: p.title,
    body: p.body,
    choices: p.choices,
    type: p.type,
    startsAt: p.startsAt.toISOString(),
    endsAt: p.endsAt.toISOString(),
    quorum: p.quorum,
    quorumRequired: p.quorumRequired.toString(),
    strategy: p.strategy,
    chainId: p.chainId,
    snapshotBlock: p.snapshotBlock.toString(),
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    status: proposalStatus(now, p),
    closedAt: p.closedAt?.toISOString() ?? null,
    tally: t,
    quorumReached: quorumReached(BigInt(t.totalPower), p.quorumRequired),
    myVote: myVote ? toVoteView(myVote) : null,
  };
}
