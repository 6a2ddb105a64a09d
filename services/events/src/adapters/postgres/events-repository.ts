import type { Queryable } from '@coterie/db';

export interface EventRow {
  id: string;
  community_id: string;
  title: string;
  description: string;
  starts_at: Date;
  ends_at: Date;
  timezone: string;
  location_kind: 'online' | 'venue';
  location_url: string | null;
  location_address: string | null;
  capacity: number | null;
  min_tier_rank: number | null;
  ticket_amount: string | null;
  ticket_currency: string | null;
  status: 'scheduled' | 'cancelled';
  sequence: number;
  waitlist_seq: string;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  cancelled_at: Date | null;
  cancel_reason: string | null;
}

export interface SeatCounts {
  confirmed: number;
  held: number;
  waitlisted: number;
  attended: number;
}

export async function insertEvent(db: Queryable, e: Omit<EventRow, 'waitlist_seq'>): Promise<void> {
  await db.query(
    `INSERT INTO events (id, community_id, title, description, starts_at, ends_at, timezone, location_kind,
       location_url, location_address, capacity, min_tier_rank, ticket_amount, ticket_currency, status, sequence,
       created_by, created_at, updated_at, cancelled_at, cancel_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
    [
      e.id,
      e.community_id,
      e.title,
      e.description,
      e.starts_at,
      e.ends_at,
      e.timezone,
      e.location_kind,
      e.location_url,
      e.location_address,
      e.capacity,
      e.min_tier_rank,
      e.ticket_amount,
      e.ticket_currency,
      e.status,
      e.sequence,
      e.created_by,
      e.created_at,
      e.updated_at,
      e.cancelled_at,
      e.cancel_reason,
    ],
  );
}

/** The event row, locked until the transaction ends: every seat decision goes through here. */
export async function lockEvent(
  db: Queryable,
  communityId: string,
  id: string,
): Promise<EventRow | undefined> {
  const { rows } = await db.query<EventRow>(
    'SELECT * FROM events WHERE id = $1 AND community_id = $2 FOR UPDATE',
    [id, communityId],
  );
  return rows[0];
}

export async function lockEventById(db: Queryable, id: string): Promise<EventRow | undefined> {
  const { rows } = await db.query<EventRow>('SELECT * FROM events WHERE id = $1 FOR UPDATE', [id]);
  return rows[0];
}

export async function findEvent(
  db: Queryable,
  communityId: string,
  id: string,
): Promise<EventRow | undefined> {
  const { rows } = await db.query<EventRow>('SELECT * FROM events WHERE id = $1 AND community_id = $2', [
    id,
    communityId,
  ]);
  return rows[0];
}

/** Writes the mutable fields back (the row was locked by the caller). */
export async function saveEvent(db: Queryable, e: EventRow): Promise<void> {
  await db.query(
    `UPDATE events SET title = $2, description = $3, starts_at = $4, ends_at = $5, timezone = $6,
       location_kind = $7, location_url = $8, location_address = $9, capacity = $10, min_tier_rank = $11,
       status = $12, sequence = $13, updated_at = $14, cancelled_at = $15, cancel_reason = $16
     WHERE id = $1`,
    [
      e.id,
      e.title,
      e.description,
      e.starts_at,
      e.ends_at,
      e.timezone,
      e.location_kind,
      e.location_url,
      e.location_address,
      e.capacity,
      e.min_tier_rank,
      e.status,
      e.sequence,
      e.updated_at,
      e.cancelled_at,
      e.cancel_reason,
    ],
  );
}

/** The next FIFO number of the event's waitlist. */
export async function nextWaitlistNo(db: Queryable, eventId: string): Promise<string> {
  const { rows } = await db.query<{ waitlist_seq: string }>(
    'UPDATE events SET waitlist_seq = waitlist_seq + 1 WHERE id = $1 RETURNING waitlist_seq',
    [eventId],
  );
  return rows[0]?.waitlist_seq as string;
}

export async function seatCounts(
  db: Queryable,
  eventIds: readonly string[],
): Promise<Map<string, SeatCounts>> {
  const out = new Map<string, SeatCounts>(
    eventIds.map((id) => [id, { confirmed: 0, held: 0, waitlisted: 0, attended: 0 }]),
  );
  if (eventIds.length === 0) return out;
  const { rows } = await db.query<{
    event_id: string;
    confirmed: number;
    held: number;
    waitlisted: number;
    attended: number;
  }>(
    `SELECT event_id,
       count(*) FILTER (WHERE seat = 'confirmed')::int AS confirmed,
       count(*) FILTER (WHERE seat = 'held')::int AS held,
       count(*) FILTER (WHERE seat = 'waitlisted')::int AS waitlisted,
       count(*) FILTER (WHERE checked_in_at IS NOT NULL)::int AS attended
     FROM rsvps WHERE event_id = ANY($1::uuid[]) AND status = 'going' GROUP BY event_id`,
    [eventIds],
  );
  for (const r of rows) out.set(r.event_id, r);
  return out;
}

export async function seatCountsOf(db: Queryable, eventId: string): Promise<SeatCounts> {
  return (await seatCounts(db, [eventId])).get(eventId) as SeatCounts;
}

/**
 * Events of a community overlapping [from, to), ordered by start then id, after the cursor.
 * `publicOnly` keeps the ones without a tier requirement.
 */
export async function listCommunityEvents(
  db: Queryable,
  q: {
    communityId: string;
    from: Date | null;
    to: Date | null;
    after: { startsAt: Date; id: string } | null;
    maxRank: number | null;
    all: boolean;
    limit: number;
  },
): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT * FROM events
     WHERE community_id = $1
       AND ($2::timestamptz IS NULL OR ends_at > $2)
       AND ($3::timestamptz IS NULL OR starts_at < $3)
       AND ($4::timestamptz IS NULL OR (starts_at, id) > ($4, $5::uuid))
       AND ($6 OR min_tier_rank IS NULL OR min_tier_rank <= $7)
     ORDER BY starts_at, id LIMIT $8`,
    [
      q.communityId,
      q.from,
      q.to,
      q.after?.startsAt ?? null,
      q.after?.id ?? null,
      q.all,
      q.maxRank ?? -1,
      q.limit,
    ],
  );
  return rows;
}

/** The public feed: events without a tier requirement that end after `since`. */
export async function publicFeedEvents(db: Queryable, communityId: string, since: Date): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT * FROM events WHERE community_id = $1 AND min_tier_rank IS NULL AND ends_at > $2
     ORDER BY starts_at, id LIMIT 1000`,
    [communityId, since],
  );
  return rows;
}

/** Future, scheduled events of a community that ask for more than `rank` (any rank when null). */
export async function futureGatedEvents(
  db: Queryable,
  communityId: string,
  rank: number | null,
  now: Date,
): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT * FROM events WHERE community_id = $1 AND status = 'scheduled' AND ends_at > $2
       AND min_tier_rank IS NOT NULL AND ($3::int IS NULL OR min_tier_rank > $3)`,
    [communityId, now, rank],
  );
  return rows;
}
