import { addressSchema, type governanceRpc } from '@coterie/contracts';
import type { z } from 'zod';
import { findProposal } from '../adapters/postgres/proposals-repository.ts';
import { listVotePage } from '../adapters/postgres/votes-repository.ts';
import { ProposalNotFoundError } from '../domain/errors.ts';
import type { GovernanceDeps } from '../ports.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { toVoteView } from './proposal-view.ts';
import type { GovernanceInput } from './rpc-types.ts';

type ListVotesResult = z.infer<typeof governanceRpc.listVotes.response>;

/** Every current vote with the exact typed data and signature verified, ordered by voter address. */
export async function listVotes(
  deps: GovernanceDeps,
  input: GovernanceInput<'listVotes'>,
): Promise<ListVotesResult> {
  if (!(await findProposal(deps.pool, input.communityId, input.proposalId)))
    throw new ProposalNotFoundError();
  const after = decodeCursor(input.cursor, 1, ([voter]) => addressSchema.safeParse(voter).success)?.[0];
  const rows = await listVotePage(deps.pool, input.proposalId, input.limit + 1, after);
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((v) => ({ ...toVoteView(v), signature: v.signature, typedData: v.typedData })),
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.voter]) : null,
  };
}
