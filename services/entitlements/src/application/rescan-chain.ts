import { withTransaction } from '@coterie/db';
import {
  findChainCursor,
  initChainCursor,
  saveChainCursor,
} from '../adapters/postgres/chain-cursors-repository.ts';
import { UnknownChainError } from '../domain/errors.ts';
import type { Deps } from '../ports.ts';

export interface RescanChainResult {
  chainId: number;
  previousNextBlock: number | null;
  nextBlock: number;
}

/**
 * Moves the Transfer-log watcher's cursor of `chainId` back to `fromBlock` (never forward): the
 * watcher, on whichever replica polls next, reads the logs again range by range and re-evaluates
 * every member they touch, through its usual code path. A replica in the middle of a range
 * sees the cursor moved and drops its work. Idempotent: memberships change only where the
 * chain says so, and a second call just reads the same blocks once more.
 */
export async function rescanChain(
  deps: Deps,
  input: { chainId: number; fromBlock: number },
): Promise<RescanChainResult> {
  if (!deps.chainIds.has(input.chainId)) throw new UnknownChainError(input.chainId);
  const from = BigInt(input.fromBlock);
  const { previous, next } = await withTransaction(deps.pool, async (client) => {
    const previous = await findChainCursor(client, input.chainId, { forUpdate: true });
    if (previous === undefined) {
      // Never polled yet (or a replica is creating the row right now): whichever row stands,
      // it must not be ahead of `from`.
      const standing = await initChainCursor(client, input.chainId, from);
      if (standing > from) await saveChainCursor(client, input.chainId, from);
      return { previous: standing === from ? undefined : standing, next: from };
    }
    if (from < previous) await saveChainCursor(client, input.chainId, from);
    return { previous, next: from < previous ? from : previous };
  });
  deps.logger.info(
    { chainId: input.chainId, fromBlock: input.fromBlock, previousNextBlock: previous?.toString() },
    'chain rescan requested: the transfer watcher reads again from the cursor',
  );
  return {
    chainId: input.chainId,
    previousNextBlock: previous === undefined ? null : Number(previous),
    nextBlock: Number(next),
  };
}
