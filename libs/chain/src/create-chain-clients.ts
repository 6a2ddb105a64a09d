import { type Chain, createPublicClient, defineChain, http, type PublicClient } from 'viem';
import type { ChainConfig } from './chains-config.ts';

export interface ChainClients {
  readonly configs: readonly ChainConfig[];
  /** The client of a configured chain, or undefined for a chain we do not serve. */
  get(chainId: number): PublicClient | undefined;
  config(chainId: number): ChainConfig | undefined;
}

export interface CreateChainClientsOptions {
  /** Per-request timeout: a hanging RPC must fail closed, not hang a gated check. */
  timeoutMs?: number;
  /** Called for every JSON-RPC HTTP request (benchmarks count calls with it). */
  onRequest?: (chainId: number) => void;
}

/** One viem public client per configured chain; `multicall` goes through the chain's Multicall3. */
export function createChainClients(
  configs: readonly ChainConfig[],
  options: CreateChainClientsOptions = {},
): ChainClients {
  const clients = new Map<number, PublicClient>();
  for (const config of configs) {
    clients.set(
      config.chainId,
      createPublicClient({
        chain: chainDefinition(config),
        transport: http(config.rpcUrl, {
          timeout: options.timeoutMs ?? 5_000,
          retryCount: 1,
          // viem uses onFetchRequest's return value as the request init: return nothing.
          ...(options.onRequest
            ? {
                onFetchRequest: () => {
                  options.onRequest?.(config.chainId);
                },
              }
            : {}),
        }),
        // No automatic multicall batching: it splits into 1 KB chunks. Callers batch explicitly
        // with `multicall` (and a `batchSize` that fits their calls).
      }) as PublicClient,
    );
  }
  const byId = new Map(configs.map((c) => [c.chainId, c]));
  return {
    configs,
    get: (chainId) => clients.get(chainId),
    config: (chainId) => byId.get(chainId),
  };
}

export function chainDefinition(config: ChainConfig): Chain {
  return defineChain({
    id: config.chainId,
    name: config.name,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
    contracts: { multicall3: { address: config.multicall3 as `0x${string}` } },
  });
}
