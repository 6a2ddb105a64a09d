import { type Proposal, proposalCreatedV1, type Strategy } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { uuidv7 } from 'uuidv7';
import { type Address, getAddress } from 'viem';
import { insertEligibleMembers, membersWithRank } from '../adapters/postgres/members-repository.ts';
import { insertProposal, type ProposalRecord } from '../adapters/postgres/proposals-repository.ts';
import { ChainUnsupportedError, InvalidProposalError } from '../domain/errors.ts';
import { quorumRequired } from '../domain/tally/index.ts';
import type { GovernanceDeps } from '../ports.ts';
import { authorizeProposer } from './authorize-proposer.ts';
import { toProposalView } from './proposal-view.ts';
import type { GovernanceInput } from './rpc-types.ts';

export type CreateProposalInput = GovernanceInput<'createProposal'>;

/**
 * Opens a proposal: checks who may propose, fixes the snapshot block (latest − confirmations),
 * the quorum requirement (absolute, or bps of the supply at the snapshot) and, for `tier-member`,
 * the electorate (members holding the tier now); then stores it with its `proposal.created` event.
 */
export async function createProposal(deps: GovernanceDeps, input: CreateProposalInput): Promise<Proposal> {
  const now = deps.clock.now();
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  if (endsAt.getTime() <= startsAt.getTime())
    throw new InvalidProposalError('endsAt must be after startsAt.');
  if (endsAt.getTime() <= now.getTime()) throw new InvalidProposalError('endsAt must be in the future.');

  const strategy = normalizeStrategy(deps, input.strategy);
  const chainId = strategy.params.chainId as number;
  if (!deps.chain.isConfigured(chainId)) throw new ChainUnsupportedError(chainId);

  await authorizeProposer(deps, input);

  const snapshotBlock = await deps.chain.snapshotBlock(chainId);
  let supply: bigint | undefined;
  if (strategy.kind !== 'tier-member') {
    if (!(await deps.chain.isContract(chainId, strategy.params.token as Address, snapshotBlock))) {
      throw new InvalidProposalError(`${strategy.params.token} is not a contract at block ${snapshotBlock}.`);
    }
    if (input.quorum.kind === 'percent-of-supply') {
      supply = await deps.chain.supply(strategy, snapshotBlock).catch((error) => {
        if (strategy.kind === 'erc721-count') {
          throw new InvalidProposalError('This token has no totalSupply(); use an absolute quorum.');
        }
        throw error;
      });
    }
  }

  const record: ProposalRecord = {
    id: uuidv7(),
    communityId: input.communityId,
    title: input.title,
    body: input.body,
    choices: input.choices,
    type: input.type,
    startsAt,
    endsAt,
    quorum: input.quorum,
    quorumRequired: 0n,
    strategy,
    chainId,
    snapshotBlock,
    createdBy: input.actorId,
    createdAt: now,
    closedAt: null,
    finalTally: null,
  };
  await withTransaction(deps.pool, async (client) => {
    const electorate =
      strategy.kind === 'tier-member'
        ? await membersWithRank(client, input.communityId, strategy.params.minRank)
        : [];
    if (strategy.kind === 'tier-member') supply = BigInt(electorate.length);
    record.quorumRequired = quorumRequired(input.quorum, supply);
    await insertProposal(client, record);
    await insertEligibleMembers(client, record.id, electorate);
    await appendToOutbox(
      client,
      newEvent(
        proposalCreatedV1,
        {
          proposalId: record.id,
          communityId: record.communityId,
          title: record.title,
          type: record.type,
          choices: record.choices,
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          strategy,
          quorum: record.quorum,
          quorumRequired: record.quorumRequired.toString(),
          chainId,
          snapshotBlock: snapshotBlock.toString(),
          createdBy: record.createdBy,
        },
        { source: 'governance', communityId: record.communityId },
      ),
    );
  });
  deps.wakeRelay();
  return toProposalView(record, [], now, undefined);
}

/** Token addresses checksummed; tier-member gets its chain (the first configured one by default). */
function normalizeStrategy(
  deps: GovernanceDeps,
  strategy: Strategy,
): Strategy & { params: { chainId: number } } {
  if (strategy.kind === 'tier-member') {
    return {
      kind: 'tier-member',
      params: {
        minRank: strategy.params.minRank,
        chainId: strategy.params.chainId ?? deps.chain.defaultChainId(),
      },
    };
  }
  return { ...strategy, params: { ...strategy.params, token: getAddress(strategy.params.token) } };
}
