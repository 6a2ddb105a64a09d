import type { Gate, LeafGate } from '@coterie/contracts';
import { balanceKey, nativeKey, ownerKey } from './facts.ts';

/** One on-chain read; `key` is where its answer goes in `Facts` (and what dedupes it). */
export type ChainRead =
  /** ERC-20 and ERC-721 share `balanceOf(address)`. */
  | { kind: 'balance'; chainId: number; token: string; wallet: string; key: string }
  | { kind: 'erc1155Balance'; chainId: number; token: string; wallet: string; tokenId: string; key: string }
  | { kind: 'ownerOf'; chainId: number; token: string; tokenId: string; key: string }
  | { kind: 'native'; chainId: number; wallet: string; key: string };

/**
 * The chain reads the gates need for these wallets, each once. Leaves under a `not` are read
 * too: negating a fact still needs the fact.
 */
export function requiredReads(gates: readonly Gate[], wallets: readonly string[]): ChainRead[] {
  const reads = new Map<string, ChainRead>();
  const add = (read: ChainRead) => {
    if (!reads.has(read.key)) reads.set(read.key, read);
  };
  const stack: Gate[] = [...gates];
  while (stack.length > 0) {
    const gate = stack.pop() as Gate;
    if ('any' in gate) stack.push(...gate.any);
    else if ('all' in gate) stack.push(...gate.all);
    else if ('not' in gate) stack.push(gate.not);
    else for (const read of leafReads(gate, wallets)) add(read);
  }
  return [...reads.values()];
}

function leafReads(gate: LeafGate, wallets: readonly string[]): ChainRead[] {
  switch (gate.type) {
    case 'erc20':
      return wallets.map((w) => balanceRead(gate.chainId, gate.token, w));
    case 'erc721':
      if (gate.tokenIds) {
        // Without a wallet no id can be the member's: skip reads nobody needs.
        if (wallets.length === 0) return [];
        return gate.tokenIds.map((tokenId) => ({
          kind: 'ownerOf',
          chainId: gate.chainId,
          token: gate.token.toLowerCase(),
          tokenId,
          key: ownerKey(gate.chainId, gate.token, tokenId),
        }));
      }
      return wallets.map((w) => balanceRead(gate.chainId, gate.token, w));
    case 'erc1155':
      return wallets.map((w) => ({
        kind: 'erc1155Balance',
        chainId: gate.chainId,
        token: gate.token.toLowerCase(),
        wallet: w.toLowerCase(),
        tokenId: gate.tokenId,
        key: balanceKey(gate.chainId, gate.token, w, gate.tokenId),
      }));
    case 'native':
      return wallets.map((w) => ({
        kind: 'native',
        chainId: gate.chainId,
        wallet: w.toLowerCase(),
        key: nativeKey(gate.chainId, w),
      }));
    default:
      return [];
  }
}

function balanceRead(chainId: number, token: string, wallet: string): ChainRead {
  return {
    kind: 'balance',
    chainId,
    token: token.toLowerCase(),
    wallet: wallet.toLowerCase(),
    key: balanceKey(chainId, token, wallet),
  };
}
