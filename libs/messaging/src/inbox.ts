import type { Envelope } from '@coterie/contracts';
import type { Pool, PoolClient, Queryable } from '@coterie/db';
import { withTransaction } from '@coterie/db';

/** Claims `eventId` for `consumer`; false when it was already handled. Call inside the effect's transaction. */
export async function claimInbox(client: Queryable, consumer: string, eventId: string): Promise<boolean> {
  const { rowCount } = await client.query(
    'INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [consumer, eventId],
  );
  return rowCount === 1;
}

/**
 * Claims many event ids for `consumer` in one statement; returns the ones not handled before
 * (an id repeated in `eventIds` is claimed once). Call inside the effects' transaction.
 */
export async function claimInboxBatch(
  client: Queryable,
  consumer: string,
  eventIds: readonly string[],
): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { rows } = await client.query<{ event_id: string }>(
    `INSERT INTO inbox (consumer, event_id) SELECT $1, unnest($2::uuid[])
     ON CONFLICT DO NOTHING RETURNING event_id`,
    // Sorted: replicas claiming overlapping redeliveries wait on each other in one order.
    [consumer, [...new Set(eventIds)].sort()],
  );
  return new Set(rows.map((r) => r.event_id));
}

/**
 * Applies `effect` exactly once per (consumer, event): the claim and the effect commit
 * together, so a crash anywhere leads to a redelivery that either finds the claim or redoes both.
 */
export async function handleOnce(
  pool: Pool,
  consumer: string,
  event: Pick<Envelope, 'id'>,
  effect: (client: PoolClient) => Promise<void>,
): Promise<'applied' | 'duplicate'> {
  return withTransaction(pool, async (client) => {
    if (!(await claimInbox(client, consumer, event.id))) return 'duplicate';
    await effect(client);
    return 'applied';
  });
}
