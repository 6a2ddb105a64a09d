import type { Context, Envelope } from '@coterie/contracts';
import { type Pool, withTransaction } from '@coterie/db';
import { consumerName, projectorsBySubject } from '../handlers/events/index.ts';
import { projectBatch } from './projection.ts';

/**
 * Applies a batch of one stream's events (already parsed with their contract) in one transaction,
 * grouped by type: the same projectors and inbox keys as the live consumers, so the result is the
 * same and a live consumer delivering one of them later finds it claimed.
 */
export async function ingestBatch(
  pool: Pool,
  context: Context,
  events: readonly { subject: string; event: Envelope }[],
): Promise<number> {
  const groups = new Map<string, Envelope[]>();
  for (const { subject, event } of events) {
    if (!projectorsBySubject.has(subject)) continue;
    const group = groups.get(subject) ?? [];
    group.push(event);
    groups.set(subject, group);
  }
  if (groups.size === 0) return 0;
  return withTransaction(pool, async (client) => {
    let applied = 0;
    // A fixed order of types keeps lock order the same in every batch.
    for (const subject of [...groups.keys()].sort()) {
      applied += await projectBatch(
        client,
        consumerName(context),
        projectorsBySubject.get(subject)!,
        groups.get(subject)!,
      );
    }
    return applied;
  });
}
