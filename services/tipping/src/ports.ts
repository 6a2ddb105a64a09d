import type { CommunityRole, TippingPolicy } from '@coterie/contracts';
import type { Pool } from '@coterie/db';
import type { Logger } from '@coterie/logger';
import type { PublicClient } from 'viem';
import type { Config } from './config.ts';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** Identity, as tipping needs it. */
export interface MemberDirectory {
  /** The member's linked wallets (EIP-55), or null when there is no such member. */
  wallets(memberId: string): Promise<string[] | null>;
  memberByAddress(address: string): Promise<string | null>;
}

export interface CommunityInfo {
  id: string;
  treasury: { chainId: number; address: string } | null;
  /** `members`: only members (a tier or any role) may tip there. */
  tipping: TippingPolicy;
}

/** Entitlements, as tipping needs it. */
export interface CommunityDirectory {
  get(communityId: string): Promise<CommunityInfo | null>;
  roleOf(communityId: string, memberId: string): Promise<CommunityRole | null>;
  /** Holds a tier or any role there. */
  isMember(communityId: string, memberId: string): Promise<boolean>;
}

/** The Stripe Connect account fiat tips to a community are paid into (destination charges). */
export interface ConnectedAccounts {
  destinationFor(communityId: string): Promise<string | null>;
}

export interface CreatePaymentIntentInput {
  amount: bigint;
  currency: string;
  applicationFee: bigint;
  destination: string;
  idempotencyKey: string;
  description: string;
  metadata: Record<string, string>;
}

export interface PaymentIntents {
  create(input: CreatePaymentIntentInput): Promise<{ id: string; clientSecret: string }>;
}

/** What the tipping use cases are built from (passed in by the composition root). */
export interface TippingDeps {
  config: Config;
  pool: Pool;
  logger: Logger;
  clock: Clock;
  /** Publish committed outbox rows now rather than at the next poll. */
  wakeRelay(): void;
  members: MemberDirectory;
  communities: CommunityDirectory;
  connectedAccounts: ConnectedAccounts;
  /** Undefined when the operator has no Stripe keys. */
  payments: PaymentIntents | undefined;
  /** The public client of a configured chain, or undefined. */
  chainClient(chainId: number): PublicClient | undefined;
}
