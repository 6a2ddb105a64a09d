import type { CommunityRole } from '@coterie/contracts';

/**
 * Everything a gate can depend on, for one member in one community, as of one moment.
 * Chain facts are keyed with the helpers below; a key that is absent is *unknown* (the read
 * failed or was not made), which is never the same as zero.
 */
export interface Facts {
  /** Tiers (and communities) the member pays for right now; Stripe's state machine decides "right now". */
  subscriptions: { tierIds: ReadonlySet<string>; communityIds: ReadonlySet<string> };
  /** ERC-20 / ERC-721 `balanceOf(wallet)` and ERC-1155 `balanceOf(wallet, id)`: see `balanceKey`. */
  balances: ReadonlyMap<string, bigint>;
  /** Native coin balance: see `nativeKey`. */
  nativeBalances: ReadonlyMap<string, bigint>;
  /** ERC-721 `ownerOf(id)`, lower-case: see `ownerKey`. */
  ownedTokenIds: ReadonlyMap<string, string>;
  role: CommunityRole | null;
  /** The member's linked wallets, any case. */
  wallets: readonly string[];
  /** The member's verified emails. */
  emails: readonly string[];
}

export function balanceKey(chainId: number, token: string, wallet: string, tokenId?: string): string {
  const base = `${chainId}:${token.toLowerCase()}:${wallet.toLowerCase()}`;
  return tokenId === undefined ? base : `${base}:${tokenId}`;
}

export function nativeKey(chainId: number, wallet: string): string {
  return `${chainId}:${wallet.toLowerCase()}`;
}

export function ownerKey(chainId: number, token: string, tokenId: string): string {
  return `${chainId}:${token.toLowerCase()}:${tokenId}`;
}

/** Facts with nothing known: a starting point for callers and tests. */
export function emptyFacts(overrides: Partial<Facts> = {}): Facts {
  return {
    subscriptions: { tierIds: new Set(), communityIds: new Set() },
    balances: new Map(),
    nativeBalances: new Map(),
    ownedTokenIds: new Map(),
    role: null,
    wallets: [],
    emails: [],
    ...overrides,
  };
}
