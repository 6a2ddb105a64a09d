import { memberSignedInV1 } from '@coterie/contracts';
import { dayOf, lockKeys, memberLock, type Projector, touchActive } from '../../application/projection.ts';

/**
 * A sign-in makes the member active that day in every community they had joined by then.
 * Sign-ins carry no community: the member-day is kept, so a join that arrives later (or is dated
 * earlier) still counts it (see `recordMemberships`).
 */
export const memberSignedIn: Projector<typeof memberSignedInV1> = {
  def: memberSignedInV1,
  async apply(client, events) {
    const members = events.map((e) => e.data.memberId);
    const days = events.map((e) => dayOf(e.occurredAt));
    await lockKeys(client, members.map(memberLock));
    const { rows } = await client.query<{ community_id: string; member_id: string; day: string }>(
      `WITH input AS (
         SELECT DISTINCT m, d FROM unnest($1::uuid[], $2::date[]) AS t(m, d)
       ), ins AS (
         INSERT INTO member_days (member_id, day) SELECT m, d FROM input ORDER BY m, d
         ON CONFLICT DO NOTHING RETURNING member_id, day
       )
       SELECT ms.community_id, ins.member_id, ins.day::text AS day
       FROM ins JOIN memberships ms ON ms.member_id = ins.member_id AND ms.first_joined_day <= ins.day`,
      [members, days],
    );
    await touchActive(
      client,
      rows.map((r) => ({ communityId: r.community_id, memberId: r.member_id, day: r.day })),
    );
  },
};
