import { eventScheduledV1 } from '@coterie/contracts';
import type { Projector } from '../../application/projection.ts';
import { recordCommunityEvents } from '../../application/record-community-events.ts';

/** When the event starts (attendance is reported for events starting in a range) and whether it is off. */
export const eventScheduled: Projector<typeof eventScheduledV1> = {
  def: eventScheduledV1,
  async apply(client, events) {
    await recordCommunityEvents(
      client,
      events.map((e) => ({
        sourceEvent: e.id,
        eventId: e.data.eventId,
        communityId: e.data.communityId,
        startsAt: e.data.startsAt,
        cancelled: false,
        sequence: e.data.sequence,
        at: e.occurredAt,
      })),
    );
  },
};
