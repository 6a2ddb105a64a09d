import type { CommunityRole } from '@coterie/contracts';
import { EVENT_HOST_ROLES } from '@coterie/contracts';

/** What entitlements says about a viewer in a community (null: anonymous). */
export interface ViewerAccess {
  memberId: string;
  tierRank: number | null;
  role: CommunityRole | null;
}

export function isHost(viewer: ViewerAccess | null): boolean {
  return viewer?.role != null && (EVENT_HOST_ROLES as readonly string[]).includes(viewer.role);
}

/**
 * Visibility: an event without `minTierRank` is public (anyone sees it, any signed-in member
 * may RSVP, it is in the public feed); one with `minTierRank` is seen and joined only by
 * members holding a tier of that rank or higher, and by hosts.
 */
export function canSee(minTierRank: number | null, viewer: ViewerAccess | null): boolean {
  if (minTierRank === null) return true;
  if (!viewer) return false;
  if (isHost(viewer)) return true;
  return viewer.tierRank !== null && viewer.tierRank >= minTierRank;
}

/** The online URL goes only to hosts and attendees with a confirmed seat (not held, not waitlisted). */
export function canSeeUrl(viewer: ViewerAccess | null, seat: string | null): boolean {
  return isHost(viewer) || seat === 'confirmed';
}
