import { npsSubmittedV1 } from '@coterie/contracts';
import { dayOf, lockKeys, memberLock, type Projector, touchActive } from '../../application/projection.ts';

/**
 * An NPS answer (written by `submitNps` through the outbox): a response, the 30-day guard, an
 * action. The comment of a member who has been erased is not stored (see `memberErased`).
 */
export const npsSubmitted: Projector<typeof npsSubmittedV1> = {
  def: npsSubmittedV1,
  async apply(client, events) {
    // Against a concurrent erasure of the same member: one of the two sees the other's rows.
    await lockKeys(client, [...new Set(events.map((e) => memberLock(e.data.memberId)))]);
    await client.query(
      `INSERT INTO nps_responses (response_id, community_id, member_id, score, comment, at)
       SELECT r, c, m, s,
              CASE WHEN EXISTS (SELECT 1 FROM erased_members x WHERE x.member_id = m) THEN NULL ELSE t END, a
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::smallint[], $5::text[], $6::timestamptz[])
         AS u(r, c, m, s, t, a)
       ON CONFLICT DO NOTHING`,
      [
        events.map((e) => e.data.responseId),
        events.map((e) => e.data.communityId),
        events.map((e) => e.data.memberId),
        events.map((e) => e.data.score),
        events.map((e) => e.data.comment),
        events.map((e) => e.occurredAt),
      ],
    );
    const last = new Map<string, { c: string; m: string; at: Date }>();
    for (const e of events) {
      const k = `${e.data.communityId}:${e.data.memberId}`;
      const at = new Date(e.occurredAt);
      const cur = last.get(k);
      if (!cur || at > cur.at) last.set(k, { c: e.data.communityId, m: e.data.memberId, at });
    }
    const rows = [...last.values()];
    await client.query(
      `INSERT INTO nps_last_answer (community_id, member_id, at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) ORDER BY 1, 2
       ON CONFLICT (community_id, member_id) DO UPDATE SET at = GREATEST(nps_last_answer.at, excluded.at)`,
      [rows.map((r) => r.c), rows.map((r) => r.m), rows.map((r) => r.at.toISOString())],
    );
    await touchActive(
      client,
      events.map((e) => ({
        communityId: e.data.communityId,
        memberId: e.data.memberId,
        day: dayOf(e.occurredAt),
      })),
    );
  },
};
