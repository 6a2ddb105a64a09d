import { tipReversedV1 } from '@coterie/contracts';
import { earliestBy, type Projector } from '../../application/projection.ts';
import { TIP_ROW_UNNEST, tipRowParams } from '../../application/tip-rows.ts';

/** A credited line taken back: it no longer counts in tip volume (it may arrive before the credit). */
export const tipReversed: Projector<typeof tipReversedV1> = {
  def: tipReversedV1,
  async apply(client, events) {
    const rows = earliestBy(events, (e) => e.data.creditId);
    await client.query(
      `INSERT INTO tips (credit_id, community_id, kind, rail, from_member, asset, amount, reversed_at)
       SELECT * FROM ${TIP_ROW_UNNEST}
       ORDER BY 1
       ON CONFLICT (credit_id) DO UPDATE SET reversed_at = LEAST(tips.reversed_at, excluded.reversed_at)`,
      tipRowParams(rows),
    );
  },
};
