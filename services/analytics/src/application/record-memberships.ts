import type { Queryable } from '@coterie/db';
import { lockKeys, memberLock, touchActive } from './projection.ts';

/** One membership version from entitlements: `tierRank` null once revoked. */
export interface MembershipFact {
  communityId: string;
  memberId: string;
  version: number;
  at: string;
  day: string;
  tierRank: number | null;
  /** Granted or changed: the member held a tier at `at` (sets "first joined"). */
  joined: boolean;
}

const pairKey = (f: { communityId: string; memberId: string }) => `${f.communityId}:${f.memberId}`;

/**
 * Membership history (spans by version), the current state (newest version wins), and "first
 * joined" (the earliest grant seen, whatever the order of arrival). When a member's first join
 * moves earlier, their sign-ins from then on start counting as activity in the community.
 */
export async function recordMemberships(client: Queryable, facts: readonly MembershipFact[]): Promise<void> {
  if (facts.length === 0) return;
  await lockKeys(
    client,
    facts.map((f) => memberLock(f.memberId)),
  );
  await client.query(
    `INSERT INTO membership_changes (community_id, member_id, version, at, tier_rank)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::timestamptz[], $5::int[])
     ON CONFLICT DO NOTHING`,
    [
      facts.map((f) => f.communityId),
      facts.map((f) => f.memberId),
      facts.map((f) => f.version),
      facts.map((f) => f.at),
      facts.map((f) => f.tierRank),
    ],
  );
  const pairs = [...new Map(facts.map((f) => [pairKey(f), f])).values()];
  const pairArgs = [pairs.map((p) => p.communityId), pairs.map((p) => p.memberId)];
  await client.query(
    `UPDATE membership_changes mc SET valid_to = w.next_at
     FROM (
       SELECT community_id, member_id, version,
              lead(at) OVER (PARTITION BY community_id, member_id ORDER BY version) AS next_at
       FROM membership_changes
       WHERE (community_id, member_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))
     ) w
     WHERE mc.community_id = w.community_id AND mc.member_id = w.member_id AND mc.version = w.version
       AND mc.valid_to IS DISTINCT FROM w.next_at`,
    pairArgs,
  );

  // One row per pair: the newest version's rank, the earliest join.
  const merged = new Map<string, { f: MembershipFact; joinAt: string | null; joinDay: string | null }>();
  for (const f of facts) {
    const k = pairKey(f);
    const cur = merged.get(k);
    const joinAt = f.joined ? new Date(f.at).toISOString() : null;
    const joinDay = f.joined ? f.day : null;
    if (!cur) {
      merged.set(k, { f, joinAt, joinDay });
      continue;
    }
    if (f.version > cur.f.version) cur.f = f;
    if (joinAt && (!cur.joinAt || joinAt < cur.joinAt)) {
      cur.joinAt = joinAt;
      cur.joinDay = joinDay;
    }
  }
  const rows = [...merged.values()];
  const { rows: old } = await client.query<{ community_id: string; member_id: string; day: string | null }>(
    `SELECT community_id, member_id, first_joined_day::text AS day FROM memberships
     WHERE (community_id, member_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
    pairArgs,
  );
  const oldDay = new Map(old.map((r) => [`${r.community_id}:${r.member_id}`, r.day]));
  await client.query(
    `INSERT INTO memberships (community_id, member_id, first_joined_at, first_joined_day, version, tier_rank)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::date[], $5::int[], $6::int[])
     ORDER BY 1, 2
     ON CONFLICT (community_id, member_id) DO UPDATE SET
       first_joined_at = LEAST(memberships.first_joined_at, excluded.first_joined_at),
       first_joined_day = LEAST(memberships.first_joined_day, excluded.first_joined_day),
       tier_rank = CASE WHEN excluded.version > memberships.version THEN excluded.tier_rank
                        ELSE memberships.tier_rank END,
       version = GREATEST(memberships.version, excluded.version)`,
    [
      rows.map((r) => r.f.communityId),
      rows.map((r) => r.f.memberId),
      rows.map((r) => r.joinAt),
      rows.map((r) => r.joinDay),
      rows.map((r) => r.f.version),
      rows.map((r) => r.f.tierRank),
    ],
  );

  // Sign-ins between the new first join and the old one now count in this community.
  const backfill = rows.filter((r) => {
    if (!r.joinDay) return false;
    const before = oldDay.get(pairKey(r.f));
    return before === undefined || before === null || r.joinDay < before;
  });
  if (backfill.length === 0) return;
  const { rows: days } = await client.query<{ community_id: string; member_id: string; day: string }>(
    `SELECT i.c AS community_id, md.member_id, md.day::text AS day
     FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::date[]) AS i(c, m, f, t)
     JOIN member_days md ON md.member_id = i.m AND md.day >= i.f AND (i.t IS NULL OR md.day < i.t)`,
    [
      backfill.map((r) => r.f.communityId),
      backfill.map((r) => r.f.memberId),
      backfill.map((r) => r.joinDay),
      backfill.map((r) => oldDay.get(pairKey(r.f)) ?? null),
    ],
  );
  await touchActive(
    client,
    days.map((d) => ({ communityId: d.community_id, memberId: d.member_id, day: d.day })),
  );
}
