import { tipReversedV1 } from '@coterie/contracts';
import type { Projector } from '../../application/projection.ts';

/** A credited line taken back: it no longer counts in tip volume (it may arrive before the credit). */
export const tipReversed: Projector<typeof tipReversedV1> = {
  def: tipReversedV1,
  async apply(client, events) {
    const byCredit = new Map<string, (typeof events)[number]>();
    for (const e of events) {
      const cur = byCredit.get(e.data.creditId);
      if (!cur || new Date(e.occurredAt) < new Date(cur.occurredAt)) byCredit.set(e.data.creditId, e);
    }
    const rows = [...byCredit.values()];
    await client.query(
      `INSERT INTO tips (credit_id, community_id, kind, rail, from_member, asset, amount, reversed_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::text[],
                            $7::numeric[], $8::timestamptz[])
       ORDER BY 1
       ON CONFLICT (credit_id) DO UPDATE SET reversed_at = LEAST(tips.reversed_at, excluded.reversed_at)`,
      [
        rows.map((e) => e.data.creditId),
        rows.map((e) => e.data.communityId),
        rows.map((e) => e.data.kind),
        rows.map((e) => e.data.rail),
        rows.map((e) => e.data.from),
        rows.map((e) => e.data.asset),
        rows.map((e) => e.data.amount.value),
        rows.map((e) => e.occurredAt),
      ],
    );
  },
};
