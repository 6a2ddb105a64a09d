import type { CommunityRole, Proof, TierRef } from '@coterie/contracts';
import { listCommunityMembers } from '../adapters/postgres/memberships-repository.ts';
import type { Deps } from '../ports.ts';
import { requireCommunity, requireRole } from './authorize.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

export interface MemberItem {
  memberId: string;
  tier: TierRef | null;
  via: Proof[];
  role: CommunityRole | null;
  since: string;
}

/** Owners, admins and moderators (who need to know who is who) list a community's members. */
export async function listMembers(
  deps: Deps,
  input: { actorId: string; slug: string; limit: number; cursor?: string | undefined },
): Promise<{ items: MemberItem[]; nextCursor: string | null }> {
  const afterMemberId = decodeCursor(input.cursor);
  const community = await requireCommunity(deps.pool, input.slug);
  await requireRole(deps.pool, community.id, input.actorId, ['owner', 'admin', 'moderator']);
  const rows = await listCommunityMembers(deps.pool, community.id, {
    limit: input.limit + 1,
    ...(afterMemberId ? { afterMemberId } : {}),
  });
  const items = rows.slice(0, input.limit).map((r) => ({ ...r, since: r.since.toISOString() }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last.memberId) : null };
}
