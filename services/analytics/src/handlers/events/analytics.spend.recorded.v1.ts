import { spendRecordedV1 } from '@coterie/contracts';
import { isoOf, newestBy, type Projector } from '../../application/projection.ts';

/** A month's spend per currency: the newest entry replaces earlier ones. */
export const spendRecorded: Projector<typeof spendRecordedV1> = {
  def: spendRecordedV1,
  async apply(client, events) {
    const rows = newestBy(
      events,
      (e) => `${e.data.communityId}:${e.data.month}:${e.data.amount.currency}`,
      (e) => [isoOf(e.occurredAt), e.id],
    );
    await client.query(
      `INSERT INTO spend (community_id, month, currency, amount, at, source_event)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::uuid[])
       ORDER BY 1, 2, 3
       ON CONFLICT (community_id, month, currency) DO UPDATE SET
         amount = excluded.amount, at = excluded.at, source_event = excluded.source_event
       WHERE (excluded.at, excluded.source_event) > (spend.at, spend.source_event)`,
      [
        rows.map((e) => e.data.communityId),
        rows.map((e) => e.data.month),
        rows.map((e) => e.data.amount.currency),
        rows.map((e) => e.data.amount.value),
        rows.map((e) => e.occurredAt),
        rows.map((e) => e.id),
      ],
    );
  },
};
