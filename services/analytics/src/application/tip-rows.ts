import type { EventData, tipReceivedV1 } from '@coterie/contracts';

/** A tip line as both `tip.received` and `tip.reversed` carry it, with when it happened. */
interface TipLineEvent {
  occurredAt: string;
  data: Pick<
    EventData<typeof tipReceivedV1>,
    'creditId' | 'communityId' | 'kind' | 'rail' | 'from' | 'asset' | 'amount'
  >;
}

/** The `tips` table's columns, as arrays for `unnest`, in its column order; the last is the event's time. */
export const TIP_ROW_UNNEST = `unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::text[],
                            $7::numeric[], $8::timestamptz[])`;

export function tipRowParams(rows: readonly TipLineEvent[]): unknown[] {
  return [
    rows.map((e) => e.data.creditId),
    rows.map((e) => e.data.communityId),
    rows.map((e) => e.data.kind),
    rows.map((e) => e.data.rail),
    rows.map((e) => e.data.from),
    rows.map((e) => e.data.asset),
    rows.map((e) => e.data.amount.value),
    rows.map((e) => e.occurredAt),
  ];
}
