import { membershipRevokedV1 } from '@coterie/contracts';
import { dayOf, type Projector } from '../../application/projection.ts';
import { recordMemberships } from '../../application/record-memberships.ts';

export const membershipRevoked: Projector<typeof membershipRevokedV1> = {
  def: membershipRevokedV1,
  async apply(client, events) {
    await recordMemberships(
      client,
      events.map((e) => ({
        communityId: e.data.communityId,
        memberId: e.data.memberId,
        version: e.data.version,
        at: e.occurredAt,
        day: dayOf(e.occurredAt),
        tierRank: null,
        joined: false,
      })),
    );
  },
};
