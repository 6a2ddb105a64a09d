import type { Queryable } from '@coterie/db';

/** The next block the watcher reads on `chainId`; undefined before its first pass. */
export async function findChainCursor(
  q: Queryable,
  chainId: number,
  options: { forUpdate?: boolean } = {},
): Promise<bigint | undefined> {
  const { rows } = await q.query<{ next_block: string }>(
    `SELECT next_block FROM chain_cursors WHERE chain_id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [chainId],
  );
  return rows[0] ? BigInt(rows[0].next_block) : undefined;
}

/** Starts the cursor at `block` unless another replica already did; returns the one that stands. */
export async function initChainCursor(q: Queryable, chainId: number, block: bigint): Promise<bigint> {
  await q.query('INSERT INTO chain_cursors (chain_id, next_block) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    chainId,
    block.toString(),
  ]);
  return (await findChainCursor(q, chainId)) as bigint;
}

export async function saveChainCursor(q: Queryable, chainId: number, nextBlock: bigint): Promise<void> {
  await q.query('UPDATE chain_cursors SET next_block = $2, updated_at = now() WHERE chain_id = $1', [
    chainId,
    nextBlock.toString(),
  ]);
}
