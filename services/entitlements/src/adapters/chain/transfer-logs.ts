import { type ChainConfig, chainDefinition } from '@coterie/chain';
import { createPublicClient, http, numberToHex, type PublicClient, toEventSelector } from 'viem';
import { withDeadline } from './with-deadline.ts';

/** ERC-20 and ERC-721 share this signature (ERC-721 indexes the id too: four topics). */
export const TRANSFER_TOPIC = toEventSelector('Transfer(address,address,uint256)');
export const TRANSFER_SINGLE_TOPIC = toEventSelector(
  'TransferSingle(address,address,address,uint256,uint256)',
);
export const TRANSFER_BATCH_TOPIC = toEventSelector(
  'TransferBatch(address,address,address,uint256[],uint256[])',
);

/** One token movement: who sent, who received (lower-case). */
export interface TransferParties {
  token: string;
  from: string;
  to: string;
  blockNumber: bigint;
}

export interface TransferLogReader {
  latestBlock(chainId: number): Promise<bigint>;
  /** Transfer / TransferSingle / TransferBatch logs of `tokens` in [fromBlock, toBlock]. */
  transfers(
    chainId: number,
    tokens: readonly string[],
    fromBlock: bigint,
    toBlock: bigint,
  ): Promise<TransferParties[]>;
}

interface RawLog {
  address: string;
  topics: string[];
  blockNumber: string;
  removed?: boolean;
}

const topicAddress = (topic: string | undefined) =>
  topic ? `0x${topic.slice(26)}`.toLowerCase() : undefined;

/**
 * Raw `eth_getLogs` with the three topic0s at once: decoding with one ABI would fail on the
 * other standard's logs (ERC-20 and ERC-721 `Transfer` differ only in what is indexed), and
 * the parties are always topics anyway.
 */
export function createTransferLogReader(
  configs: readonly ChainConfig[],
  options: {
    onRequest?: (chainId: number) => void;
    /** Per call, its retry included (default 10 s). */
    timeoutMs?: number;
  } = {},
): TransferLogReader {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const clients = new Map<number, PublicClient>();
  for (const config of configs) {
    clients.set(
      config.chainId,
      createPublicClient({
        chain: chainDefinition(config),
        transport: http(config.rpcUrl, {
          timeout: timeoutMs,
          retryCount: 1,
          ...(options.onRequest
            ? {
                onFetchRequest: () => {
                  options.onRequest?.(config.chainId);
                },
              }
            : {}),
        }),
      }) as PublicClient,
    );
  }
  const client = (chainId: number) => {
    const c = clients.get(chainId);
    if (!c) throw new Error(`chain ${chainId} is not in CHAINS`);
    return c;
  };
  return {
    latestBlock: (chainId) =>
      withDeadline(
        client(chainId).getBlockNumber({ cacheTime: 0 }),
        timeoutMs,
        `eth_blockNumber on chain ${chainId}`,
      ),
    async transfers(chainId, tokens, fromBlock, toBlock) {
      if (tokens.length === 0) return [];
      const logs = (await withDeadline(
        client(chainId).request({
          method: 'eth_getLogs',
          params: [
            {
              address: tokens as `0x${string}`[],
              topics: [[TRANSFER_TOPIC, TRANSFER_SINGLE_TOPIC, TRANSFER_BATCH_TOPIC]],
              fromBlock: numberToHex(fromBlock),
              toBlock: numberToHex(toBlock),
            },
          ],
        }),
        timeoutMs,
        `eth_getLogs on chain ${chainId}`,
      )) as unknown as RawLog[];
      const out: TransferParties[] = [];
      for (const log of logs) {
        if (log.removed) continue;
        const [topic0, t1, t2, t3] = log.topics;
        const single = topic0 === TRANSFER_SINGLE_TOPIC || topic0 === TRANSFER_BATCH_TOPIC;
        const from = topicAddress(single ? t2 : t1);
        const to = topicAddress(single ? t3 : t2);
        if (!from || !to) continue;
        out.push({ token: log.address.toLowerCase(), from, to, blockNumber: BigInt(log.blockNumber) });
      }
      return out;
    },
  };
}
