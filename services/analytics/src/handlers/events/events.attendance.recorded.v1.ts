import { attendanceRecordedV1 } from '@coterie/contracts';
import { dayOf, earliestBy, type Projector, touchActive } from '../../application/projection.ts';

/** A check-in: the member attended (once per event), and was active that day. */
export const attendanceRecorded: Projector<typeof attendanceRecordedV1> = {
  def: attendanceRecordedV1,
  async apply(client, events) {
    const rows = earliestBy(events, (e) => `${e.data.eventId}:${e.data.memberId}`);
    await client.query(
      `INSERT INTO attendances (event_id, member_id, community_id, at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[]) ORDER BY 1, 2
       ON CONFLICT (event_id, member_id) DO UPDATE SET at = LEAST(attendances.at, excluded.at)`,
      [
        rows.map((e) => e.data.eventId),
        rows.map((e) => e.data.memberId),
        rows.map((e) => e.data.communityId),
        rows.map((e) => e.occurredAt),
      ],
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
