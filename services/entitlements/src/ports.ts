import type { Pool } from '@coterie/db';
import type { Logger } from '@coterie/logger';
import type { ReadBalances } from './adapters/chain/read-balances.ts';
import type { StripeBilling } from './adapters/stripe/stripe-billing.ts';
import type { AccessView } from './domain/access-view.ts';

/** A member as far as gates care: what identity knows about their wallets and emails. */
export interface MemberFacts {
  wallets: string[];
  emails: string[];
}

/** Identity's members, over NATS in production; unknown ids are simply absent. */
export interface MemberDirectory {
  getMembers(memberIds: readonly string[]): Promise<Map<string, MemberFacts>>;
  /** Member ids of the wallets linked to any of `addresses`, keyed by lower-case address. */
  memberIdsByAddress(addresses: readonly string[]): Promise<Map<string, string>>;
}

/** What the use cases are built from; `createApp` wires the real ones, tests may pass others. */
export interface Deps {
  pool: Pool;
  logger: Logger;
  /** Publishes committed outbox rows now instead of at the next poll. */
  wakeRelay(): void;
  members: MemberDirectory;
  readBalances: ReadBalances;
  view: AccessView;
  /** Chain ids in `CHAINS`: a gate on any other chain is refused. */
  chainIds: ReadonlySet<number>;
  now(): Date;
  reverifyIntervalMs: number;
  /** Runs the re-verification loop now (memberships were just made due). */
  wakeReverification(): void;
  /** Undefined when the operator set no Stripe keys: the fiat use cases answer 409 stripe_not_configured. */
  stripe: StripeBilling | undefined;
  /** The platform's cut of each subscription, in basis points. */
  platformFeeBps: number;
  /** How long a past_due subscription keeps its tier. */
  graceMs: number;
}

export const SOURCE = 'entitlements';
