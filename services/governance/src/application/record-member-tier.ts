import type { Envelope } from '@coterie/contracts';
import { handleOnce } from '@coterie/messaging';
import { applyMemberTier } from '../adapters/postgres/members-repository.ts';
import type { GovernanceDeps } from '../ports.ts';

/** Keeps governance's copy of who holds which tier rank (for tier-member electorates), once per event. */
export async function recordMemberTier(
  deps: GovernanceDeps,
  consumer: string,
  event: Envelope,
  fact: { communityId: string; memberId: string; tierRank: number | null; version: number },
): Promise<void> {
  await handleOnce(deps.pool, consumer, event, (client) => applyMemberTier(client, fact));
}
