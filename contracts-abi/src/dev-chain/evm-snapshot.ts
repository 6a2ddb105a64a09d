import type { Hex } from 'viem';
import { rpcRequest } from './rpc-request.ts';

/** Snapshots chain state; pass the id to `evmRevert`. Hardhat ids are single-use. */
export async function evmSnapshot(rpcUrl: string): Promise<Hex> {
  return rpcRequest<Hex>(rpcUrl, 'evm_snapshot');
}
