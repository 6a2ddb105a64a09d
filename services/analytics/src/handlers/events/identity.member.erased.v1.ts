import { memberErasedV1 } from '@coterie/contracts';
import { lockKeys, memberLock, type Projector } from '../../application/projection.ts';

/**
 * A member asked to be forgotten: their NPS comments (free text) are scrubbed; scores, activity
 * and every count stay, keyed by the id identity has pseudonymised. Remembered in
 * `erased_members`, so an answer projected later (a rebuild, a late delivery) loses its comment too.
 */
export const memberErased: Projector<typeof memberErasedV1> = {
  def: memberErasedV1,
  async apply(client, events) {
    const erased = new Map<string, string>();
    for (const e of events) {
      const at = new Date(e.data.requestedAt).toISOString();
      const cur = erased.get(e.data.memberId);
      if (!cur || at < cur) erased.set(e.data.memberId, at);
    }
    const members = [...erased.keys()];
    await lockKeys(client, members.map(memberLock));
    await client.query(
      `INSERT INTO erased_members (member_id, erased_at)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[]) ORDER BY 1
       ON CONFLICT (member_id) DO UPDATE SET erased_at = LEAST(erased_members.erased_at, excluded.erased_at)`,
      [members, [...erased.values()]],
    );
    await client.query(
      'UPDATE nps_responses SET comment = NULL WHERE member_id = ANY($1::uuid[]) AND comment IS NOT NULL',
      [members],
    );
  },
};
