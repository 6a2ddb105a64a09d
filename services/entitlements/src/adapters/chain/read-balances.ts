import { type ChainConfig, chainDefinition } from '@coterie/chain';
import { memberBadgeAbi, membershipPassAbi, multicall3Abi } from '@coterie/contracts-abi';
import { type Address, createPublicClient, getAddress, http, type PublicClient } from 'viem';
import { multicall } from 'viem/actions';
import type { ChainRead } from '../../domain/gates/index.ts';
import { withDeadline } from './with-deadline.ts';

/** The chain half of `Facts`; a read that failed is simply absent (unknown), and listed in `unknown`. */
export interface ChainFacts {
  balances: Map<string, bigint>;
  nativeBalances: Map<string, bigint>;
  ownedTokenIds: Map<string, string>;
  unknown: Set<string>;
}

export interface ReadBalancesOptions {
  /** Read these chains at a block (the watcher's confirmed head) instead of the latest. */
  blockNumbers?: ReadonlyMap<number, bigint>;
}

export type ReadBalances = (
  reads: readonly ChainRead[],
  options?: ReadBalancesOptions,
) => Promise<ChainFacts>;

export interface CreateBalanceReaderOptions {
  /** Calls per `aggregate3`: 500 `balanceOf`s cost ~5M gas, well inside any node's eth_call cap. */
  maxCallsPerMulticall?: number;
  /** Per multicall, its retry included; past it the chunk's facts are unknown (default 10 s). */
  timeoutMs?: number;
  /** Called for every JSON-RPC HTTP request (benchmarks count calls with it). */
  onRequest?: (chainId: number) => void;
}

/**
 * Reads ERC-20/721/1155 balances, ERC-721 owners and native balances in Multicall3 batches,
 * `allowFailure: true`: a reverting or non-contract token, or a whole chunk whose RPC call failed,
 * leaves its facts unknown instead of failing the others.
 *
 * Our own clients rather than `@coterie/chain`'s: those have viem's `batch.multicall` on, which
 * makes `multicall` schedule every call separately and re-split them into 1 KB aggregates
 * (~18 eth_calls per 500 reads instead of one).
 */
export function createBalanceReader(
  configs: readonly ChainConfig[],
  options: CreateBalanceReaderOptions = {},
): ReadBalances {
  const maxCalls = options.maxCallsPerMulticall ?? 500;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const chains = new Map<number, { config: ChainConfig; client: PublicClient }>();
  for (const config of configs) {
    const client = createPublicClient({
      chain: chainDefinition(config),
      transport: http(config.rpcUrl, {
        timeout: timeoutMs,
        retryCount: 1,
        // A block body, not `() => onRequest()`: viem uses whatever the hook returns as the fetch
        // init, and a counter like `() => calls++` returns a number at run time whatever its type.
        ...(options.onRequest
          ? {
              onFetchRequest: () => {
                options.onRequest?.(config.chainId);
              },
            }
          : {}),
      }),
    }) as PublicClient;
    chains.set(config.chainId, { config, client });
  }

  return async (reads, readOptions = {}) => {
    const facts: ChainFacts = {
      balances: new Map(),
      nativeBalances: new Map(),
      ownedTokenIds: new Map(),
      unknown: new Set(),
    };
    const byChain = new Map<number, ChainRead[]>();
    for (const read of reads) {
      const list = byChain.get(read.chainId) ?? [];
      list.push(read);
      byChain.set(read.chainId, list);
    }
    const chunks: Promise<void>[] = [];
    for (const [chainId, chainReads] of byChain) {
      const chain = chains.get(chainId);
      if (!chain) {
        for (const read of chainReads) facts.unknown.add(read.key);
        continue;
      }
      for (let i = 0; i < chainReads.length; i += maxCalls) {
        chunks.push(
          readChunk(
            chain.client,
            chain.config,
            chainReads.slice(i, i + maxCalls),
            facts,
            readOptions.blockNumbers?.get(chainId),
            timeoutMs,
          ),
        );
      }
    }
    await Promise.all(chunks);
    return facts;
  };
}

async function readChunk(
  client: PublicClient,
  config: ChainConfig,
  reads: readonly ChainRead[],
  facts: ChainFacts,
  blockNumber: bigint | undefined,
  timeoutMs: number,
): Promise<void> {
  const multicall3 = getAddress(config.multicall3);
  const contracts = reads.map((read) => toCall(read, multicall3));
  let results: { status: 'success' | 'failure'; result?: unknown }[];
  try {
    // batchSize 0: we chunked already; viem must not re-split by calldata size.
    results = await withDeadline(
      multicall(client, {
        contracts,
        allowFailure: true,
        batchSize: 0,
        multicallAddress: multicall3,
        ...(blockNumber !== undefined ? { blockNumber } : {}),
      }),
      timeoutMs,
      `multicall on chain ${config.chainId}`,
    );
  } catch {
    for (const read of reads) facts.unknown.add(read.key);
    return;
  }
  reads.forEach((read, i) => {
    const result = results[i];
    if (result?.status !== 'success') {
      facts.unknown.add(read.key);
      return;
    }
    const value = result.result as bigint | string;
    if (read.kind === 'ownerOf') facts.ownedTokenIds.set(read.key, String(value).toLowerCase());
    else if (read.kind === 'native') facts.nativeBalances.set(read.key, value as bigint);
    else facts.balances.set(read.key, value as bigint);
  });
}

// ERC-20 and ERC-721 share `balanceOf(address)`; MembershipPass's ABI has both it and `ownerOf`.
function toCall(read: ChainRead, multicall3: Address) {
  switch (read.kind) {
    case 'balance':
      return {
        address: read.token as Address,
        abi: membershipPassAbi,
        functionName: 'balanceOf',
        args: [read.wallet as Address],
      } as const;
    case 'ownerOf':
      return {
        address: read.token as Address,
        abi: membershipPassAbi,
        functionName: 'ownerOf',
        args: [BigInt(read.tokenId)],
      } as const;
    case 'erc1155Balance':
      return {
        address: read.token as Address,
        abi: memberBadgeAbi,
        functionName: 'balanceOf',
        args: [read.wallet as Address, BigInt(read.tokenId)],
      } as const;
    case 'native':
      return {
        address: multicall3,
        abi: multicall3Abi,
        functionName: 'getEthBalance',
        args: [read.wallet as Address],
      } as const;
  }
}
