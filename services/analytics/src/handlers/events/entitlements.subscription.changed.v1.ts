import { subscriptionChangedV1 } from '@coterie/contracts';
import { lockKeys, type Projector } from '../../application/projection.ts';
import { monthlyValue, PAYING_STATUSES } from '../../domain/kpi/index.ts';

const PAYING = new Set<string>(PAYING_STATUSES);

/**
 * Each change becomes a span of the subscription's state, normalised to a monthly value
 * (`monthlyValue`: yearly ÷ 12, half up per subscription); spans are re-linked in time order
 * (ties by event id) so a late change lands where it belongs.
 */
export const subscriptionChanged: Projector<typeof subscriptionChangedV1> = {
  def: subscriptionChangedV1,
  async apply(client, events) {
    const subs = events.map((e) => e.data.subscriptionId);
    await lockKeys(
      client,
      subs.map((s) => `analytics:subscription:${s}`),
    );
    await client.query(
      `INSERT INTO subscription_changes
         (event_id, subscription_id, community_id, member_id, at, status, paying, monthly_value, currency)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[], $6::text[],
                            $7::boolean[], $8::bigint[], $9::text[])
       ON CONFLICT DO NOTHING`,
      [
        events.map((e) => e.id),
        subs,
        events.map((e) => e.data.communityId),
        events.map((e) => e.data.memberId),
        events.map((e) => e.occurredAt),
        events.map((e) => e.data.status),
        events.map((e) => PAYING.has(e.data.status)),
        events.map((e) => monthlyValue(BigInt(e.data.amount.value), e.data.interval).toString()),
        events.map((e) => e.data.amount.currency),
      ],
    );
    await client.query(
      `UPDATE subscription_changes s SET valid_to = w.next_at
       FROM (
         SELECT event_id, lead(at) OVER (PARTITION BY subscription_id ORDER BY at, event_id) AS next_at
         FROM subscription_changes WHERE subscription_id = ANY($1::uuid[])
       ) w
       WHERE s.event_id = w.event_id AND s.valid_to IS DISTINCT FROM w.next_at`,
      [[...new Set(subs)]],
    );
  },
};
