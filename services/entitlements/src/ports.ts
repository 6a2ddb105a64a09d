import type { Pool } from '@coterie/db';
import type { Logger } from '@coterie/logger';
import type { ReadBalances } from './adapters/chain/read-balances.ts';
import type { AccessView } from './domain/access-view.ts';

/** A member as far as gates care: what identity knows about their wallets and emails. */
export interface MemberFacts {
  wallets: string[];
  emails: string[];
}

/** Identity's members, over NATS in production; unknown ids are simply absent. */
export interface MemberDirectory {
  getMembers(memberIds: readonly string[]): Promise<Map<string, MemberFacts>>;
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
}

export const SOURCE = 'entitlements';
