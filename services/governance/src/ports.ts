import type { CommunityRole, TierRef, TokenStrategy, VoteTypedData } from '@coterie/contracts';
import type { Pool } from '@coterie/db';
import type { Logger } from '@coterie/logger';
import type { Address, Hex } from 'viem';
import type { Config } from './config.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What governance asks the entitlements context (over NATS). */
export interface EntitlementsPort {
  check(input: {
    memberId: string;
    communityId: string;
    minRank?: number;
  }): Promise<{ allowed: boolean; role: CommunityRole | null; tier: TierRef | null }>;
}

/** What governance asks the identity context (over NATS). */
export interface IdentityPort {
  memberByAddress(address: Address): Promise<string | null>;
  walletsOf(memberId: string): Promise<Address[]>;
}

/** Chain reads and signature checks; every method fails closed (throws) on RPC errors or timeouts. */
export interface ChainPort {
  isConfigured(chainId: number): boolean;
  defaultChainId(): number;
  /** Latest block minus the chain's confirmations (at least 1, so ERC20Votes can look it up). */
  snapshotBlock(chainId: number): Promise<bigint>;
  /** True when `token` has code at `block`. */
  isContract(chainId: number, token: Address, block: bigint): Promise<boolean>;
  /** Power of each address at the snapshot block, in order; batched with multicall. */
  votingPower(strategy: TokenStrategy, block: bigint, addresses: readonly Address[]): Promise<bigint[]>;
  /** The token's supply at the snapshot block (for percent-of-supply quorums). */
  supply(strategy: TokenStrategy, block: bigint): Promise<bigint>;
  /** EOA (ecrecover) or ERC-1271; false when the chain answered "invalid". */
  verifyVote(
    chainId: number,
    input: { address: Address; typedData: VoteTypedData; signature: Hex },
  ): Promise<boolean>;
}

/** What the governance use cases are built from (passed in by the composition root). */
export interface GovernanceDeps {
  config: Config;
  pool: Pool;
  /** Publish committed outbox rows now. */
  wakeRelay(): void;
  clock: Clock;
  logger: Logger;
  chain: ChainPort;
  entitlements: EntitlementsPort;
  identity: IdentityPort;
}
