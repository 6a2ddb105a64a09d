import type { CommunityRole } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';

export interface RoleRow {
  communityId: string;
  memberId: string;
  role: CommunityRole;
  version: number;
}

export async function findRole(
  q: Queryable,
  communityId: string,
  memberId: string,
  options: { forUpdate?: boolean } = {},
): Promise<RoleRow | undefined> {
  const { rows } = await q.query<{ role: CommunityRole; version: string }>(
    `SELECT role, version FROM roles WHERE community_id = $1 AND member_id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [communityId, memberId],
  );
  const row = rows[0];
  return row && { communityId, memberId, role: row.role, version: Number(row.version) };
}

/** Sets the role and bumps its version; returns the new row. */
export async function upsertRole(
  q: Queryable,
  r: { communityId: string; memberId: string; role: CommunityRole; grantedBy: string },
): Promise<RoleRow> {
  const { rows } = await q.query<{ version: string }>(
    `INSERT INTO roles (community_id, member_id, role, granted_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (community_id, member_id)
     DO UPDATE SET role = EXCLUDED.role, granted_by = EXCLUDED.granted_by, version = roles.version + 1, updated_at = now()
     RETURNING version`,
    [r.communityId, r.memberId, r.role, r.grantedBy],
  );
  return {
    communityId: r.communityId,
    memberId: r.memberId,
    role: r.role,
    version: Number(rows[0]?.version),
  };
}

/** Roles of members in communities, keyed `communityId:memberId`. */
export async function rolesOf(
  q: Queryable,
  pairs: readonly { communityId: string; memberId: string }[],
): Promise<Map<string, CommunityRole>> {
  if (pairs.length === 0) return new Map();
  const { rows } = await q.query<{ community_id: string; member_id: string; role: CommunityRole }>(
    `SELECT r.community_id, r.member_id, r.role
     FROM roles r JOIN unnest($1::uuid[], $2::uuid[]) AS p(community_id, member_id)
       ON r.community_id = p.community_id AND r.member_id = p.member_id`,
    [pairs.map((p) => p.communityId), pairs.map((p) => p.memberId)],
  );
  return new Map(rows.map((r) => [`${r.community_id}:${r.member_id}`, r.role]));
}

export async function allRoles(q: Queryable): Promise<RoleRow[]> {
  const { rows } = await q.query<{
    community_id: string;
    member_id: string;
    role: CommunityRole;
    version: string;
  }>('SELECT community_id, member_id, role, version FROM roles');
  return rows.map((r) => ({
    communityId: r.community_id,
    memberId: r.member_id,
    role: r.role,
    version: Number(r.version),
  }));
}
