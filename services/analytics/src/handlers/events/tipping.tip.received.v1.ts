import { tipReceivedV1 } from '@coterie/contracts';
import { dayOf, type Projector, touchActive } from '../../application/projection.ts';

/** One credited tip line (keyed by its credit); a tip (not an admin reward) is an action of the tipper. */
export const tipReceived: Projector<typeof tipReceivedV1> = {
  def: tipReceivedV1,
  async apply(client, events) {
    const byCredit = new Map<string, (typeof events)[number]>();
    for (const e of events) {
      const cur = byCredit.get(e.data.creditId);
      if (!cur || new Date(e.occurredAt) < new Date(cur.occurredAt)) byCredit.set(e.data.creditId, e);
    }
    const rows = [...byCredit.values()];
    await client.query(
      `INSERT INTO tips (credit_id, community_id, kind, rail, from_member, asset, amount, received_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::text[],
                            $7::numeric[], $8::timestamptz[])
       ORDER BY 1
       ON CONFLICT (credit_id) DO UPDATE SET
         kind = excluded.kind, rail = excluded.rail, from_member = excluded.from_member,
         asset = excluded.asset, amount = excluded.amount,
         received_at = LEAST(tips.received_at, excluded.received_at)`,
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
    await touchActive(
      client,
      events
        .filter((e) => e.data.kind === 'tip')
        .map((e) => ({ communityId: e.data.communityId, memberId: e.data.from, day: dayOf(e.occurredAt) })),
    );
  },
};
