import { numberToHex } from 'viem';
import { rpcRequest } from './rpc-request.ts';

/** Mines `blocks` empty blocks (one RPC call whatever the count, via `hardhat_mine`). */
export async function evmMine(rpcUrl: string, blocks = 1): Promise<void> {
  if (!Number.isInteger(blocks) || blocks < 1)
    throw new Error(`evmMine: blocks must be a positive integer, got ${blocks}`);
  await rpcRequest(rpcUrl, 'hardhat_mine', [numberToHex(blocks)]);
}
