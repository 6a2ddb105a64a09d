import type { EventsMemberData } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';
import type { RsvpStatus, Seat } from './rsvps-repository.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Everything events holds about a member; check-in codes, checkout links and feed tokens stay out. */
export async function readMemberData(db: Queryable, memberId: string): Promise<EventsMemberData> {
  const [rsvps, refunds, hosted, feed] = await Promise.all([
    db.query<{
      event_id: string;
      community_id: string;
      title: string;
      starts_at: Date;
      status: RsvpStatus;
      seat: Seat;
      paid_amount: string | null;
      paid_currency: string | null;
      checked_in_at: Date | null;
      check_in_method: 'host' | 'code' | null;
      created_at: Date;
      updated_at: Date;
    }>(
      `SELECT r.event_id, e.community_id, e.title, e.starts_at, r.status, r.seat, r.paid_amount::text,
              r.paid_currency, r.checked_in_at, r.check_in_method, r.created_at, r.updated_at
         FROM rsvps r JOIN events e ON e.id = r.event_id
        WHERE r.member_id = $1 ORDER BY e.starts_at, r.event_id`,
      [memberId],
    ),
    db.query<{
      event_id: string;
      amount: string;
      currency: string;
      reason: string;
      status: 'due' | 'done';
      created_at: Date;
      done_at: Date | null;
    }>(
      `SELECT event_id, amount::text, currency, reason, status, created_at, done_at
         FROM refunds WHERE member_id = $1 ORDER BY created_at, id`,
      [memberId],
    ),
    db.query<{
      id: string;
      community_id: string;
      title: string;
      starts_at: Date;
      status: 'scheduled' | 'cancelled';
    }>(
      `SELECT id, community_id, title, starts_at, status FROM events
        WHERE created_by = $1 ORDER BY starts_at, id`,
      [memberId],
    ),
    db.query<{ created_at: Date }>('SELECT created_at FROM calendar_tokens WHERE member_id = $1', [memberId]),
  ]);
  return {
    rsvps: rsvps.rows.map((r) => ({
      eventId: r.event_id,
      communityId: r.community_id,
      title: r.title,
      startsAt: r.starts_at.toISOString(),
      status: r.status,
      seat: r.seat,
      checkedInAt: iso(r.checked_in_at),
      checkInMethod: r.check_in_method,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    })),
    tickets: rsvps.rows.flatMap((r) =>
      r.paid_amount !== null && r.paid_currency !== null
        ? [
            {
              eventId: r.event_id,
              communityId: r.community_id,
              title: r.title,
              paid: { value: r.paid_amount, currency: r.paid_currency },
            },
          ]
        : [],
    ),
    refunds: refunds.rows.map((r) => ({
      eventId: r.event_id,
      amount: { value: r.amount, currency: r.currency },
      reason: r.reason,
      status: r.status,
      createdAt: r.created_at.toISOString(),
      doneAt: iso(r.done_at),
    })),
    hosted: hosted.rows.map((e) => ({
      eventId: e.id,
      communityId: e.community_id,
      title: e.title,
      startsAt: e.starts_at.toISOString(),
      status: e.status,
    })),
    calendarFeed: feed.rows[0] ? { createdAt: feed.rows[0].created_at.toISOString() } : null,
  };
}

/**
 * An erased member: their private calendar feed token is deleted and the mails still due to
 * them are skipped. RSVPs, seats, check-ins and refunds stay (counts and money depend on them).
 */
export async function scrubMember(
  db: Queryable,
  memberId: string,
  at: Date,
): Promise<{ feeds: number; reminders: number }> {
  const feeds = await db.query('DELETE FROM calendar_tokens WHERE member_id = $1', [memberId]);
  const reminders = await db.query(
    `UPDATE reminders SET sent_at = $2, outcome = 'skipped'
      WHERE member_id = $1 AND sent_at IS NULL`,
    [memberId, at],
  );
  return { feeds: feeds.rowCount ?? 0, reminders: reminders.rowCount ?? 0 };
}
