import type { Queryable } from '@coterie/db';

export type RsvpStatus = 'going' | 'maybe' | 'declined';
export type Seat = 'confirmed' | 'held' | 'waitlisted' | 'none';

export interface RsvpRow {
  event_id: string;
  member_id: string;
  status: RsvpStatus;
  seat: Seat;
  waitlist_no: string | null;
  hold_expires_at: Date | null;
  checkout_session_id: string | null;
  checkout_url: string | null;
  payment_intent_id: string | null;
  paid_amount: string | null;
  paid_currency: string | null;
  check_in_code: string;
  checked_in_at: Date | null;
  check_in_method: 'host' | 'code' | null;
  created_at: Date;
  updated_at: Date;
}

export async function findRsvp(
  db: Queryable,
  eventId: string,
  memberId: string,
): Promise<RsvpRow | undefined> {
  const { rows } = await db.query<RsvpRow>('SELECT * FROM rsvps WHERE event_id = $1 AND member_id = $2', [
    eventId,
    memberId,
  ]);
  return rows[0];
}

export async function findRsvps(
  db: Queryable,
  eventIds: readonly string[],
  memberId: string,
): Promise<Map<string, RsvpRow>> {
  if (eventIds.length === 0) return new Map();
  const { rows } = await db.query<RsvpRow>(
    'SELECT * FROM rsvps WHERE event_id = ANY($1::uuid[]) AND member_id = $2',
    [eventIds, memberId],
  );
  return new Map(rows.map((r) => [r.event_id, r]));
}

export async function findRsvpByCode(
  db: Queryable,
  eventId: string,
  code: string,
): Promise<RsvpRow | undefined> {
  const { rows } = await db.query<RsvpRow>('SELECT * FROM rsvps WHERE event_id = $1 AND check_in_code = $2', [
    eventId,
    code,
  ]);
  return rows[0];
}

export async function findRsvpByCheckout(db: Queryable, sessionId: string): Promise<RsvpRow | undefined> {
  const { rows } = await db.query<RsvpRow>('SELECT * FROM rsvps WHERE checkout_session_id = $1', [sessionId]);
  return rows[0];
}

/** Inserts or overwrites the whole row (the event is locked by the caller). */
export async function saveRsvp(db: Queryable, r: RsvpRow): Promise<void> {
  await db.query(
    `INSERT INTO rsvps (event_id, member_id, status, seat, waitlist_no, hold_expires_at, checkout_session_id,
       checkout_url, payment_intent_id, paid_amount, paid_currency, check_in_code, checked_in_at, check_in_method,
       created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT (event_id, member_id) DO UPDATE SET status = $3, seat = $4, waitlist_no = $5,
       hold_expires_at = $6, checkout_session_id = $7, checkout_url = $8, payment_intent_id = $9,
       paid_amount = $10, paid_currency = $11, checked_in_at = $13, check_in_method = $14, updated_at = $16`,
    [
      r.event_id,
      r.member_id,
      r.status,
      r.seat,
      r.waitlist_no,
      r.hold_expires_at,
      r.checkout_session_id,
      r.checkout_url,
      r.payment_intent_id,
      r.paid_amount,
      r.paid_currency,
      r.check_in_code,
      r.checked_in_at,
      r.check_in_method,
      r.created_at,
      r.updated_at,
    ],
  );
}

/** The head of the waitlist (lowest number), if any. */
export async function waitlistHead(db: Queryable, eventId: string): Promise<RsvpRow | undefined> {
  const { rows } = await db.query<RsvpRow>(
    `SELECT * FROM rsvps WHERE event_id = $1 AND seat = 'waitlisted' ORDER BY waitlist_no LIMIT 1`,
    [eventId],
  );
  return rows[0];
}

/** 1-based place of `waitlistNo` in the event's waitlist. */
export async function waitlistPosition(db: Queryable, eventId: string, waitlistNo: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM rsvps WHERE event_id = $1 AND seat = 'waitlisted' AND waitlist_no <= $2`,
    [eventId, waitlistNo],
  );
  return rows[0]?.n ?? 0;
}

export async function rsvpsOfEvent(
  db: Queryable,
  eventId: string,
  statuses: readonly RsvpStatus[],
): Promise<RsvpRow[]> {
  const { rows } = await db.query<RsvpRow>(
    'SELECT * FROM rsvps WHERE event_id = $1 AND status = ANY($2::text[]) ORDER BY created_at, member_id',
    [eventId, statuses],
  );
  return rows;
}

/** A member's going/maybe RSVPs with their events, for the private feed. */
export async function memberFeedEventIds(db: Queryable, memberId: string, since: Date): Promise<string[]> {
  const { rows } = await db.query<{ event_id: string }>(
    `SELECT r.event_id FROM rsvps r JOIN events e ON e.id = r.event_id
     WHERE r.member_id = $1 AND r.status IN ('going', 'maybe') AND e.ends_at > $2
     ORDER BY e.starts_at, e.id LIMIT 1000`,
    [memberId, since],
  );
  return rows.map((r) => r.event_id);
}

/** Held seats whose hold ran out before `cutoff` (oldest first). */
export async function expiredHolds(db: Queryable, cutoff: Date, limit: number): Promise<RsvpRow[]> {
  const { rows } = await db.query<RsvpRow>(
    `SELECT * FROM rsvps WHERE seat = 'held' AND hold_expires_at < $1 ORDER BY hold_expires_at LIMIT $2`,
    [cutoff, limit],
  );
  return rows;
}

export async function rsvpsOfMemberInEvents(
  db: Queryable,
  memberId: string,
  eventIds: readonly string[],
): Promise<RsvpRow[]> {
  if (eventIds.length === 0) return [];
  const { rows } = await db.query<RsvpRow>(
    `SELECT * FROM rsvps WHERE member_id = $1 AND event_id = ANY($2::uuid[]) AND status IN ('going', 'maybe')`,
    [memberId, eventIds],
  );
  return rows;
}
