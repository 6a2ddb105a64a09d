import type { CommunityRole } from '@coterie/contracts';
import type { Pool } from '@coterie/db';
import type { Logger } from '@coterie/logger';

/** The community roles of a member, from entitlements (over NATS in production). */
export interface AccessPort {
  check(memberId: string, communityId: string): Promise<{ allowed: boolean; role: CommunityRole | null }>;
}

/** What the use cases are built from; `createApp` wires the real ones, tests may pass others. */
export interface Deps {
  pool: Pool;
  logger: Logger;
  access: AccessPort;
  /** Publishes committed outbox rows now instead of at the next poll. */
  wakeRelay(): void;
  now(): Date;
}

export const SOURCE = 'analytics';
