import { tipReceivedV1 } from '@coterie/contracts';
import { dayOf, earliestBy, type Projector, touchActive } from '../../application/projection.ts';
import { TIP_ROW_UNNEST, tipRowParams } from '../../application/tip-rows.ts';

/** One credited tip line (keyed by its credit); a tip (not an admin reward) is an action of the tipper. */
export const tipReceived: Projector<typeof tipReceivedV1> = {
  def: tipReceivedV1,
  async apply(client, events) {
    const rows = earliestBy(events, (e) => e.data.creditId);
    await client.query(
      `INSERT INTO tips (credit_id, community_id, kind, rail, from_member, asset, amount, received_at)
       SELECT * FROM ${TIP_ROW_UNNEST}
       ORDER BY 1
       ON CONFLICT (credit_id) DO UPDATE SET
         kind = excluded.kind, rail = excluded.rail, from_member = excluded.from_member,
         asset = excluded.asset, amount = excluded.amount,
         received_at = LEAST(tips.received_at, excluded.received_at)`,
      tipRowParams(rows),
    );
    await touchActive(
      client,
      events
        .filter((e) => e.data.kind === 'tip')
        .map((e) => ({ communityId: e.data.communityId, memberId: e.data.from, day: dayOf(e.occurredAt) })),
    );
  },
};
