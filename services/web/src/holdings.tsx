import { useCallback, useEffect, useState } from 'react';
import type { Tier } from './api/types.ts';
import {
  decodeString,
  decodeUint,
  encodeBalanceOf,
  encodeBalanceOf1155,
  encodeDecimals,
  encodeSymbol,
} from './lib/abi.ts';
import { currentChainId, ethCall } from './lib/eip1193.ts';
import { holdingKey, holdingsOf, type TokenInfo, tokenKey } from './lib/gates.ts';
import { injectedProvider } from './wallet.tsx';

export interface Holdings {
  balances: Map<string, bigint>;
  tokens: Map<string, TokenInfo>;
  /** The wallet's chain, when a wallet is there. */
  chainId: number | undefined;
  reload(): Promise<void>;
}

const tokenInfoCache = new Map<string, TokenInfo>();

/**
 * Token facts known without asking a wallet (the dev chain's demo contracts, from `/v1/config`),
 * so a visitor without a wallet still reads "1 CTR" rather than base units.
 */
export function rememberTokenInfo(chainId: number, token: string, info: TokenInfo): void {
  tokenInfoCache.set(tokenKey(chainId, token), info);
}

/** What is known about a token without asking (remembered or read before). */
export function knownTokenInfo(chainId: number, token: string): TokenInfo | undefined {
  return tokenInfoCache.get(tokenKey(chainId, token));
}

/** Reads one ERC-20/721/1155 contract's symbol (and decimals, for ERC-20) through the wallet. */
export async function readTokenInfo(
  chainId: number,
  token: string,
  kind: 'erc20' | 'erc721' | 'erc1155',
): Promise<TokenInfo | undefined> {
  const key = tokenKey(chainId, token);
  const cached = tokenInfoCache.get(key);
  if (cached) return cached;
  const provider = injectedProvider();
  if (!provider) return undefined;
  const symbol = await ethCall(provider, token, encodeSymbol())
    .then(decodeString)
    .catch(() => undefined);
  let decimals: number | undefined;
  if (kind === 'erc20') {
    const raw = await ethCall(provider, token, encodeDecimals())
      .then(decodeUint)
      .catch(() => undefined);
    if (raw === undefined) return undefined;
    decimals = Number(raw);
  }
  const info: TokenInfo = { symbol: symbol ?? '', ...(decimals !== undefined ? { decimals } : {}) };
  tokenInfoCache.set(key, info);
  return info;
}

/**
 * What the member's wallets hold of every token the tiers' gates mention, read with eth_call
 * through the injected wallet (the app talks to the chain only through the wallet).
 */
export function useHoldings(tiers: Tier[] | undefined, wallets: string[]): Holdings {
  const [state, setState] = useState<Omit<Holdings, 'reload'>>({
    balances: new Map(),
    tokens: new Map(),
    chainId: undefined,
  });
  const walletKey = wallets.join(',');
  const tiersKey = JSON.stringify(tiers?.map((t) => t.gate) ?? []);

  const load = useCallback(async () => {
    const provider = injectedProvider();
    const gates = JSON.parse(tiersKey) as Tier['gate'][];
    const owners = walletKey ? walletKey.split(',') : [];
    if (!provider) {
      const known = new Map<string, TokenInfo>();
      for (const h of gates.flatMap((g) => holdingsOf(g))) {
        const info = h.type === 'native' ? undefined : tokenInfoCache.get(tokenKey(h.chainId, h.token));
        if (info && h.type !== 'native') known.set(tokenKey(h.chainId, h.token), info);
      }
      if (known.size > 0) setState({ balances: new Map(), tokens: known, chainId: undefined });
      return;
    }
    if (gates.length === 0) return;
    let chainId: number;
    try {
      chainId = await currentChainId(provider);
    } catch {
      return;
    }
    const balances = new Map<string, bigint>();
    const tokens = new Map<string, TokenInfo>();
    const holdings = gates.flatMap((g) => holdingsOf(g)).filter((h) => h.chainId === chainId);
    await Promise.all(
      holdings.map(async (h) => {
        if (h.type !== 'native') {
          const info = await readTokenInfo(h.chainId, h.token, h.type).catch(() => undefined);
          if (info) tokens.set(tokenKey(h.chainId, h.token), info);
        }
        if (owners.length === 0) return;
        let total = 0n;
        for (const owner of owners) {
          try {
            if (h.type === 'native') {
              total += BigInt(
                String(await provider.request({ method: 'eth_getBalance', params: [owner, 'latest'] })),
              );
            } else {
              const data =
                h.type === 'erc1155' ? encodeBalanceOf1155(owner, h.tokenId) : encodeBalanceOf(owner);
              total += decodeUint(await ethCall(provider, h.token, data)) ?? 0n;
            }
          } catch {
            return; // unknown: say so rather than guess 0
          }
        }
        balances.set(holdingKey(h), total);
      }),
    );
    setState({ balances, tokens, chainId });
  }, [tiersKey, walletKey]);

  useEffect(() => {
    void load();
  }, [load]);

  return { ...state, reload: load };
}
