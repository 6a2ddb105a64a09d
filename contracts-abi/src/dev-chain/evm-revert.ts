import type { Hex } from 'viem';
import { rpcRequest } from './rpc-request.ts';

/**
 * Restores the state captured by `evmSnapshot`. Hardhat consumes the snapshot (and every later
 * one), so take a fresh snapshot after reverting if you need to revert again.
 */
export async function evmRevert(rpcUrl: string, id: Hex): Promise<void> {
  // Hardhat answers `false` for an unknown or used id; a silent no-op would let state leak between tests.
  const reverted = await rpcRequest<boolean>(rpcUrl, 'evm_revert', [id]);
  if (!reverted) throw new Error(`evm_revert: snapshot ${id} is unknown or was already used`);
}
