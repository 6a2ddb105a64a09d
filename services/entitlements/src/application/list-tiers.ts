import type { Tier } from '@coterie/contracts';
import { findMembership } from '../adapters/postgres/memberships-repository.ts';
import { findRole } from '../adapters/postgres/roles-repository.ts';
import { listTiers as listRows } from '../adapters/postgres/tiers-repository.ts';
import type { Deps } from '../ports.ts';
import { requireCommunity } from './authorize.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

/**
 * Public, but a perk's URL is the perk: it is shown only to members holding that tier or a
 * higher one (and to the community's owner and admins, who manage them).
 */
export async function listTiers(
  deps: Deps,
  input: { slug: string; viewerId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: Tier[]; nextCursor: string | null }> {
  const afterId = decodeCursor(input.cursor);
  const community = await requireCommunity(deps.pool, input.slug);
  const rows = await listRows(deps.pool, community.id, { limit: input.limit + 1, afterId });
  const tiers = rows.slice(0, input.limit);
  const last = tiers.at(-1);
  const nextCursor = rows.length > input.limit && last ? encodeCursor(last.id) : null;
  let viewerRank = Number.NEGATIVE_INFINITY;
  if (input.viewerId) {
    const [membership, role] = await Promise.all([
      findMembership(deps.pool, community.id, input.viewerId),
      findRole(deps.pool, community.id, input.viewerId),
    ]);
    if (role?.role === 'owner' || role?.role === 'admin') viewerRank = Number.POSITIVE_INFINITY;
    else if (membership?.tier) viewerRank = membership.tier.rank;
  }
  const items = tiers.map((tier) =>
    viewerRank >= tier.rank ? tier : { ...tier, perks: tier.perks.map(({ label }) => ({ label })) },
  );
  return { items, nextCursor };
}
