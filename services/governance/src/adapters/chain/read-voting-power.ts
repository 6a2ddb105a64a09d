import type { TokenStrategy } from '@coterie/contracts';
import type { Address, PublicClient } from 'viem';
import { tokenReadAbi } from './token-abis.ts';

export type ReadVotingPowerParameters = {
  strategy: TokenStrategy;
  /** The proposal's snapshot block. */
  snapshotBlock: bigint;
  addresses: readonly Address[];
  /** Addresses per `eth_call` (one Multicall3 `aggregate3` each). */
  chunkSize?: number;
};

/**
 * Voting power of many addresses at the snapshot block, read with Multicall3 at that block:
 * ⌈n / chunkSize⌉ `eth_call`s, never one per voter.
 * - `erc20-balance`, `erc721-count`: `balanceOf(a)` executed at the snapshot block;
 * - `erc20-votes`: `getPastVotes(a, snapshot)` executed at snapshot + 1, because ERC20Votes only
 *   answers for blocks strictly in the past (the snapshot is always ≤ latest − 1, so snapshot + 1
 *   exists, and past checkpoints never change).
 * Any failed call fails the whole read: a missing number must not read as zero power.
 */
export async function readVotingPower(
  client: PublicClient,
  { strategy, snapshotBlock, addresses, chunkSize = 1_000 }: ReadVotingPowerParameters,
): Promise<bigint[]> {
  const token = strategy.params.token as Address;
  const votes = strategy.kind === 'erc20-votes';
  const blockNumber = votes ? snapshotBlock + 1n : snapshotBlock;
  const out: bigint[] = [];
  for (let i = 0; i < addresses.length; i += chunkSize) {
    const chunk = addresses.slice(i, i + chunkSize);
    const contracts = chunk.map((account) =>
      votes
        ? {
            address: token,
            abi: tokenReadAbi,
            functionName: 'getPastVotes' as const,
            args: [account, snapshotBlock] as const,
          }
        : { address: token, abi: tokenReadAbi, functionName: 'balanceOf' as const, args: [account] as const },
    );
    // batchSize 0: the chunk goes as one eth_call (viem would otherwise split at 1 kB of calldata).
    const results = await client.multicall({ contracts, blockNumber, allowFailure: false, batchSize: 0 });
    out.push(...(results as bigint[]));
  }
  return out;
}
