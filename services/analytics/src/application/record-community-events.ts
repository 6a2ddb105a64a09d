import type { Queryable } from '@coterie/db';
import { newestBy } from './projection.ts';

export interface CommunityEventFact {
  sourceEvent: string;
  eventId: string;
  communityId: string;
  startsAt: string;
  cancelled: boolean;
  sequence: number;
  at: string;
}

/** A community event's newest facts (highest `sequence`, then time, then event id) win. */
export async function recordCommunityEvents(
  client: Queryable,
  facts: readonly CommunityEventFact[],
): Promise<void> {
  const rows = newestBy(
    facts,
    (f) => f.eventId,
    (f) => [`${String(f.sequence).padStart(10, '0')}|${new Date(f.at).toISOString()}`, f.sourceEvent],
  );
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO community_events (event_id, community_id, starts_at, cancelled, sequence, at, source_event)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::boolean[], $5::int[],
                          $6::timestamptz[], $7::uuid[])
     ORDER BY 1
     ON CONFLICT (event_id) DO UPDATE SET
       starts_at = excluded.starts_at, cancelled = excluded.cancelled, sequence = excluded.sequence,
       at = excluded.at, source_event = excluded.source_event
     WHERE (excluded.sequence, excluded.at, excluded.source_event)
         > (community_events.sequence, community_events.at, community_events.source_event)`,
    [
      rows.map((r) => r.eventId),
      rows.map((r) => r.communityId),
      rows.map((r) => r.startsAt),
      rows.map((r) => r.cancelled),
      rows.map((r) => r.sequence),
      rows.map((r) => r.at),
      rows.map((r) => r.sourceEvent),
    ],
  );
}
