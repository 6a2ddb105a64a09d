import { communityCreatedV1 } from '@coterie/contracts';
import type { Projector } from '../../application/projection.ts';

export const communityCreated: Projector<typeof communityCreatedV1> = {
  def: communityCreatedV1,
  async apply(client, events) {
    await client.query(
      `INSERT INTO communities (community_id, owner_id, created_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) ON CONFLICT DO NOTHING`,
      [
        events.map((e) => e.data.communityId),
        events.map((e) => e.data.ownerId),
        events.map((e) => e.occurredAt),
      ],
    );
  },
};
