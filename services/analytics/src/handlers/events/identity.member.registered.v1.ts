import { memberRegisteredV1 } from '@coterie/contracts';
import type { Projector } from '../../application/projection.ts';

/** When each member registered on the platform (earliest wins). */
export const memberRegistered: Projector<typeof memberRegisteredV1> = {
  def: memberRegisteredV1,
  async apply(client, events) {
    const first = new Map<string, string>();
    for (const e of events) {
      const at = new Date(e.occurredAt).toISOString();
      const cur = first.get(e.data.memberId);
      if (!cur || at < cur) first.set(e.data.memberId, at);
    }
    await client.query(
      `INSERT INTO registrations (member_id, registered_at)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[]) ORDER BY 1
       ON CONFLICT (member_id) DO UPDATE SET registered_at = LEAST(registrations.registered_at, excluded.registered_at)`,
      [[...first.keys()], [...first.values()]],
    );
  },
};
