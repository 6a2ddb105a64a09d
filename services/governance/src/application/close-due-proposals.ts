import { proposalClosedV1 } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { lockDueProposals, markClosed } from '../adapters/postgres/proposals-repository.ts';
import { findCountedVotes } from '../adapters/postgres/votes-repository.ts';
import { quorumReached, winners } from '../domain/tally/index.ts';
import type { GovernanceDeps } from '../ports.ts';
import { computeTally } from './proposal-view.ts';

/**
 * Closes proposals past their end: the final tally is stored and `proposal.closed` published,
 * once. Replicas may run this together: `FOR UPDATE SKIP LOCKED` gives each proposal to one of
 * them, and `closed_at IS NULL` makes a second pass a no-op. Returns how many it closed.
 */
export async function closeDueProposals(deps: GovernanceDeps, batchSize = 50): Promise<number> {
  const closed = await withTransaction(deps.pool, async (client) => {
    const now = deps.clock.now();
    const due = await lockDueProposals(client, now, batchSize);
    let n = 0;
    for (const proposal of due) {
      const tally = computeTally(proposal, await findCountedVotes(client, [proposal.id]));
      if (!(await markClosed(client, proposal.id, now, tally))) continue;
      await appendToOutbox(
        client,
        newEvent(
          proposalClosedV1,
          {
            proposalId: proposal.id,
            communityId: proposal.communityId,
            tally,
            quorumRequired: proposal.quorumRequired.toString(),
            quorumReached: quorumReached(BigInt(tally.totalPower), proposal.quorumRequired),
            winners: winners(tally.scores.map(BigInt)),
            closedAt: now.toISOString(),
          },
          { source: 'governance', communityId: proposal.communityId },
        ),
      );
      n += 1;
    }
    return n;
  });
  if (closed > 0) deps.wakeRelay();
  return closed;
}
