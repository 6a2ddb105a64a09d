import type { Queryable } from '@coterie/db';
import { uuidv7 } from 'uuidv7';

export type ReminderKind = '24h' | '1h' | 'promoted' | 'cancelled';

export interface ReminderRow {
  id: string;
  event_id: string;
  member_id: string;
  kind: ReminderKind;
  due_at: Date;
  attempts: number;
}

/** Schedules a mail once per `dedupeKey` (scheduling twice is a no-op). */
export async function scheduleReminder(
  db: Queryable,
  r: { dedupeKey: string; eventId: string; memberId: string; kind: ReminderKind; dueAt: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO reminders (id, dedupe_key, event_id, member_id, kind, due_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING`,
    [uuidv7(), r.dedupeKey, r.eventId, r.memberId, r.kind, r.dueAt],
  );
}

/** Drops the unsent 24 h / 1 h reminders of one member (or of everyone when memberId is null). */
export async function dropLeadReminders(
  db: Queryable,
  eventId: string,
  memberId: string | null,
): Promise<void> {
  await db.query(
    `DELETE FROM reminders WHERE event_id = $1 AND ($2::uuid IS NULL OR member_id = $2)
       AND sent_at IS NULL AND kind IN ('24h', '1h')`,
    [eventId, memberId],
  );
}

/**
 * Claims one due reminder for the caller's transaction; other replicas skip it while it is
 * locked, and once `sent_at` is set nobody sees it again.
 */
export async function claimDueReminder(db: Queryable, now: Date): Promise<ReminderRow | undefined> {
  const { rows } = await db.query<ReminderRow>(
    `SELECT id, event_id, member_id, kind, due_at, attempts FROM reminders
     WHERE sent_at IS NULL AND due_at <= $1 AND attempts < 10
     ORDER BY due_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [now],
  );
  return rows[0];
}

export async function markReminder(
  db: Queryable,
  id: string,
  outcome: 'sent' | 'skipped',
  at: Date,
): Promise<void> {
  await db.query('UPDATE reminders SET sent_at = $2, outcome = $3, attempts = attempts + 1 WHERE id = $1', [
    id,
    at,
    outcome,
  ]);
}

/** A failed send: retried at a later tick (backing off), given up after 10 attempts. */
export async function reminderFailed(db: Queryable, id: string, error: string, retryAt: Date): Promise<void> {
  await db.query('UPDATE reminders SET attempts = attempts + 1, last_error = $2, due_at = $3 WHERE id = $1', [
    id,
    error.slice(0, 1_000),
    retryAt,
  ]);
}
