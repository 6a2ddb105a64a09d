import type { TokenStrategy } from '@coterie/contracts';
import type { Address, PublicClient } from 'viem';
import { tokenReadAbi } from './token-abis.ts';

/**
 * The supply a percent-of-supply quorum is measured on, at the snapshot block: `totalSupply()`
 * (ERC-20; ERC-721 only if it implements it), or ERC20Votes' `getPastTotalSupply(snapshot)`.
 */
export async function readSupply(
  client: PublicClient,
  { strategy, snapshotBlock }: { strategy: TokenStrategy; snapshotBlock: bigint },
): Promise<bigint> {
  const address = strategy.params.token as Address;
  if (strategy.kind === 'erc20-votes') {
    return client.readContract({
      address,
      abi: tokenReadAbi,
      functionName: 'getPastTotalSupply',
      args: [snapshotBlock],
      blockNumber: snapshotBlock + 1n,
    });
  }
  return client.readContract({
    address,
    abi: tokenReadAbi,
    functionName: 'totalSupply',
    blockNumber: snapshotBlock,
  });
}
