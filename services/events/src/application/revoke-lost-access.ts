import { withTransaction } from '@coterie/db';
import { futureGatedEvents, lockEventById } from '../adapters/postgres/events-repository.ts';
import { findRsvp } from '../adapters/postgres/rsvps-repository.ts';
import { canSee, isHost } from '../domain/access.ts';
import type { Deps } from '../ports.ts';
import { runMaintenanceOnce } from './maintenance.ts';
import { applyRsvp, expireCheckouts, newEffects, publishSeatChanges } from './seats.ts';

/**
 * After a member's tier went down or away: their going/maybe RSVPs to future events that
 * now ask for more are withdrawn (seat freed, waitlist promoted, a paid ticket refunded).
 * The current answer of entitlements decides, not the event's payload, so events handled out
 * of order or twice converge on the same state.
 */
export async function revokeLostAccess(deps: Deps, communityId: string, memberId: string): Promise<number> {
  const access = await deps.access.check(communityId, memberId);
  if (isHost(access)) return 0;
  const now = deps.clock.now();
  let withdrawn = 0;
  let refunds = false;
  for (const candidate of await futureGatedEvents(deps.pool, communityId, access.tierRank, now)) {
    const effects = newEffects();
    await withTransaction(deps.pool, async (client) => {
      const event = await lockEventById(client, candidate.id);
      if (!event || canSee(event.min_tier_rank, access)) return;
      const row = await findRsvp(client, event.id, memberId);
      if (!row || (row.status !== 'going' && row.status !== 'maybe')) return;
      if (row.seat === 'confirmed' && row.payment_intent_id) refunds = true;
      await applyRsvp(client, deps, event, memberId, 'declined', 'access-lost', now, effects);
      await publishSeatChanges(client, event, effects, now);
      withdrawn += 1;
    });
    await expireCheckouts(deps, effects.expireCheckouts);
  }
  if (withdrawn > 0) deps.wakeRelay();
  if (refunds) await runMaintenanceOnce(deps, { reminders: false, holds: false });
  return withdrawn;
}
