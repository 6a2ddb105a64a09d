import type { AnalyticsMemberData } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';

/**
 * What the projections hold about one member that the other contexts do not export themselves:
 * registration, sign-in and activity days, NPS answers.
 */
export async function readMemberData(q: Queryable, memberId: string): Promise<AnalyticsMemberData> {
  const [registration, signIns, active, nps] = await Promise.all([
    q.query<{ registered_at: Date }>('SELECT registered_at FROM registrations WHERE member_id = $1', [
      memberId,
    ]),
    q.query<{ day: string }>('SELECT day::text AS day FROM member_days WHERE member_id = $1 ORDER BY day', [
      memberId,
    ]),
    q.query<{ community_id: string; day: string }>(
      'SELECT community_id, day::text AS day FROM active_days WHERE member_id = $1 ORDER BY day, community_id',
      [memberId],
    ),
    q.query<{ community_id: string; score: number; comment: string | null; at: Date }>(
      'SELECT community_id, score, comment, at FROM nps_responses WHERE member_id = $1 ORDER BY at, response_id',
      [memberId],
    ),
  ]);
  return {
    registeredAt: registration.rows[0]?.registered_at.toISOString() ?? null,
    signInDays: signIns.rows.map((r) => r.day),
    activeDays: active.rows.map((r) => ({ communityId: r.community_id, day: r.day })),
    npsResponses: nps.rows.map((r) => ({
      communityId: r.community_id,
      score: r.score,
      comment: r.comment,
      at: r.at.toISOString(),
    })),
  };
}
