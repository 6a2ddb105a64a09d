import type { ChainClients } from '@coterie/chain';
import type { PublicClient } from 'viem';
import { ChainUnsupportedError, StrategyUnavailableError } from '../../domain/errors.ts';
import type { ChainPort } from '../../ports.ts';
import { readSupply } from './read-supply.ts';
import { readVotingPower } from './read-voting-power.ts';
import { verifyVoteSignature } from './verify-vote-signature.ts';

export interface ChainPortOptions {
  timeoutMs: number;
  multicallChunk: number;
}

/** The {@link ChainPort} over viem public clients; RPC failures become `strategy_unavailable` (503). */
export function createChainPort(chains: ChainClients, options: ChainPortOptions): ChainPort {
  const clientOf = (chainId: number): PublicClient => {
    const client = chains.get(chainId);
    if (!client) throw new ChainUnsupportedError(chainId);
    return client;
  };
  const read = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof ChainUnsupportedError) throw error;
      throw new StrategyUnavailableError(`Could not read ${what} from the chain.`, error);
    }
  };
  return {
    isConfigured: (chainId) => chains.get(chainId) !== undefined,
    defaultChainId: () => (chains.configs[0] as { chainId: number }).chainId,
    snapshotBlock: (chainId) =>
      read('the latest block', async () => {
        const latest = await clientOf(chainId).getBlockNumber({ cacheTime: 0 });
        const confirmations = BigInt(Math.max(1, chains.config(chainId)?.confirmations ?? 1));
        if (latest < confirmations) throw new Error(`chain ${chainId} has only ${latest} blocks`);
        return latest - confirmations;
      }),
    isContract: (chainId, token, block) =>
      read('the token code', async () => {
        const code = await clientOf(chainId).getCode({ address: token, blockNumber: block });
        return code !== undefined && code !== '0x';
      }),
    votingPower: (strategy, block, addresses) =>
      read('voting power', () =>
        readVotingPower(clientOf(strategy.params.chainId), {
          strategy,
          snapshotBlock: block,
          addresses,
          chunkSize: options.multicallChunk,
        }),
      ),
    supply: (strategy, block) =>
      read('the token supply', () =>
        readSupply(clientOf(strategy.params.chainId), { strategy, snapshotBlock: block }),
      ),
    verifyVote: (chainId, input) =>
      verifyVoteSignature(clientOf(chainId), input, { timeoutMs: options.timeoutMs }),
  };
}
