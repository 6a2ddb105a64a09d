import { idSchema, type Proposal } from '@coterie/contracts';
import { getAddress } from 'viem';
import { listProposalRecords } from '../adapters/postgres/proposals-repository.ts';
import { findCountedVotes, findVotesOf } from '../adapters/postgres/votes-repository.ts';
import type { GovernanceDeps } from '../ports.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { toProposalView } from './proposal-view.ts';
import type { GovernanceInput } from './rpc-types.ts';

/** A community's proposals, newest first, each with its tally, status and the viewer's vote. */
export async function listProposals(
  deps: GovernanceDeps,
  input: GovernanceInput<'listProposals'>,
): Promise<{ items: Proposal[]; nextCursor: string | null }> {
  const now = deps.clock.now();
  const after = decodeCursor(
    input.cursor,
    2,
    ([at, id]) => !Number.isNaN(Date.parse(at ?? '')) && idSchema.safeParse(id).success,
  );
  const createdAt = after ? new Date(after[0] as string) : undefined;
  const records = await listProposalRecords(deps.pool, {
    communityId: input.communityId,
    ...(input.status ? { status: input.status } : {}),
    now,
    limit: input.limit + 1,
    ...(after && createdAt ? { after: { createdAt, id: after[1] as string } } : {}),
  });
  const page = records.slice(0, input.limit);
  const live = page.filter((p) => !p.finalTally).map((p) => p.id);
  const viewers = (input.viewerAddresses ?? []).map((a) => getAddress(a));
  const [votes, mine] = await Promise.all([
    findCountedVotes(deps.pool, live),
    findVotesOf(
      deps.pool,
      page.map((p) => p.id),
      viewers,
    ),
  ]);
  const items = page.map((p) =>
    toProposalView(
      p,
      votes.filter((v) => v.proposalId === p.id),
      now,
      mine.find((v) => v.proposalId === p.id),
    ),
  );
  const last = page[page.length - 1];
  return {
    items,
    nextCursor:
      records.length > input.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}
