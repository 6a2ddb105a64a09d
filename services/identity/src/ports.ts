import type { Pool } from '@coterie/db';
import type { Logger } from '@coterie/logger';
import type { Mailer } from '@coterie/mailer';
import type { OutboxRelay } from '@coterie/messaging';
import type { PublicClient } from 'viem';
import type { Config } from './config.ts';

export interface Clock {
  now(): Date;
}

export type { Mailer, OutgoingMail } from '@coterie/mailer';

/** What the identity use cases are built from (passed in by the composition root). */
export interface IdentityDeps {
  config: Config;
  pool: Pool;
  relay: OutboxRelay;
  clock: Clock;
  mailer: Mailer;
  logger: Logger;
  /** The public client of a configured chain, or undefined. */
  chainClient(chainId: number): PublicClient | undefined;
}

export const systemClock: Clock = { now: () => new Date() };
