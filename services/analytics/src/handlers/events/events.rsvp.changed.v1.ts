import { rsvpChangedV1 } from '@coterie/contracts';
import { dayOf, isoOf, newestBy, type Projector, touchActive } from '../../application/projection.ts';

/** Each member's newest RSVP per event; an RSVP the member made (not a promotion or expiry) is an action. */
export const rsvpChanged: Projector<typeof rsvpChangedV1> = {
  def: rsvpChangedV1,
  async apply(client, events) {
    const rows = newestBy(
      events,
      (e) => `${e.data.eventId}:${e.data.memberId}`,
      (e) => [isoOf(e.occurredAt), e.id],
    );
    await client.query(
      `INSERT INTO rsvps (event_id, member_id, community_id, status, seat, at, source_event)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[], $7::uuid[])
       ORDER BY 1, 2
       ON CONFLICT (event_id, member_id) DO UPDATE SET
         status = excluded.status, seat = excluded.seat, at = excluded.at, source_event = excluded.source_event
       WHERE (excluded.at, excluded.source_event) > (rsvps.at, rsvps.source_event)`,
      [
        rows.map((e) => e.data.eventId),
        rows.map((e) => e.data.memberId),
        rows.map((e) => e.data.communityId),
        rows.map((e) => e.data.status),
        rows.map((e) => e.data.seat),
        rows.map((e) => e.occurredAt),
        rows.map((e) => e.id),
      ],
    );
    await touchActive(
      client,
      events
        .filter((e) => e.data.cause === 'member')
        .map((e) => ({
          communityId: e.data.communityId,
          memberId: e.data.memberId,
          day: dayOf(e.occurredAt),
        })),
    );
  },
};
