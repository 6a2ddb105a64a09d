import { withTransaction } from '@coterie/db';
import { findEvent, lockEventById } from '../adapters/postgres/events-repository.ts';
import { claimDueRefund, markRefunded, refundFailed } from '../adapters/postgres/refunds-repository.ts';
import {
  claimDueReminder,
  markReminder,
  type ReminderRow,
  reminderFailed,
} from '../adapters/postgres/reminders-repository.ts';
import { expiredHolds, findRsvp } from '../adapters/postgres/rsvps-repository.ts';
import { reminderMail } from '../domain/reminder-mail.ts';
import { isLeadReminderStale, REMINDER_LEADS } from '../domain/schedule.ts';
import type { Deps } from '../ports.ts';
import { applyRsvp, expireCheckouts, newEffects, publishSeatChanges } from './seats.ts';

const BATCH = 100;

/**
 * Sends due reminders, one per transaction: the row is claimed with FOR UPDATE SKIP LOCKED
 * (replicas never take the same one), the mail goes out, `sent_at` is set, and only then does
 * the claim commit. A crash between the SMTP answer and the commit is the only way to send
 * twice, and it needs the process to die inside that window.
 */
export async function sendDueReminders(deps: Deps): Promise<number> {
  let handled = 0;
  while (handled < BATCH) {
    const now = deps.clock.now();
    const done = await withTransaction(deps.pool, async (client) => {
      const reminder = await claimDueReminder(client, now);
      if (!reminder) return false;
      try {
        const outcome = await deliver(deps, client, reminder, now);
        await markReminder(client, reminder.id, outcome, now);
      } catch (error) {
        const retryAt = new Date(now.getTime() + 60_000 * 2 ** Math.min(reminder.attempts, 6));
        await reminderFailed(client, reminder.id, (error as Error).message, retryAt);
        deps.logger.warn({ err: error, reminderId: reminder.id }, 'reminder mail failed; will retry');
      }
      return true;
    });
    if (!done) break;
    handled += 1;
  }
  return handled;
}

async function deliver(
  deps: Deps,
  client: Parameters<Parameters<typeof withTransaction>[1]>[0],
  reminder: ReminderRow,
  now: Date,
): Promise<'sent' | 'skipped'> {
  const { rows } = await client.query<{ community_id: string }>(
    'SELECT community_id FROM events WHERE id = $1',
    [reminder.event_id],
  );
  const event = rows[0] ? await findEvent(client, rows[0].community_id, reminder.event_id) : undefined;
  const rsvp = await findRsvp(client, reminder.event_id, reminder.member_id);
  if (!event || !rsvp) return 'skipped';
  if (reminder.kind === '24h' || reminder.kind === '1h') {
    const planned = event.starts_at.getTime() - REMINDER_LEADS[reminder.kind];
    if (event.status !== 'scheduled' || rsvp.seat !== 'confirmed') return 'skipped';
    if (reminder.due_at.getTime() !== planned || isLeadReminderStale(reminder.kind, event.starts_at, now)) {
      return 'skipped';
    }
  }
  if (reminder.kind === 'promoted' && rsvp.seat !== 'confirmed' && rsvp.seat !== 'held') return 'skipped';
  const email = (await deps.members.emailsOf([reminder.member_id])).get(reminder.member_id);
  if (!email) return 'skipped';
  const mail = reminderMail(
    reminder.kind,
    {
      title: event.title,
      startsAt: event.starts_at,
      endsAt: event.ends_at,
      timezone: event.timezone,
      locationKind: event.location_kind,
      url: event.location_url,
      address: event.location_address,
      cancelReason: event.cancel_reason,
    },
    { seat: rsvp.seat, checkInCode: rsvp.check_in_code },
  );
  await deps.mailer.send({ to: email, ...mail });
  return 'sent';
}

/** Asks Stripe for every due refund (idempotency key per refund row), one per transaction. */
export async function processDueRefunds(deps: Deps): Promise<number> {
  if (!deps.payments) return 0;
  const payments = deps.payments;
  let handled = 0;
  while (handled < BATCH) {
    const done = await withTransaction(deps.pool, async (client) => {
      const refund = await claimDueRefund(client);
      if (!refund) return false;
      try {
        const result = await payments.refund(refund.payment_intent_id, `refund:${refund.id}`);
        await markRefunded(client, refund.id, result.id, deps.clock.now());
      } catch (error) {
        await refundFailed(client, refund.id, (error as Error).message);
        deps.logger.warn({ err: error, refundId: refund.id }, 'refund failed; will retry');
        return 'failed';
      }
      return true;
    });
    if (!done || done === 'failed') break;
    handled += 1;
  }
  return handled;
}

/**
 * Releases held seats whose time is up and promotes the waitlist: an offer to a promoted
 * member that was never taken to checkout, or a checkout whose `expired` webhook has not come
 * within the grace period (the webhook normally does this first).
 */
export async function releaseExpiredHolds(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const graceCutoff = new Date(now.getTime() - deps.holdReleaseGraceMs);
  const candidates = (await expiredHolds(deps.pool, now, BATCH)).filter(
    (r) => !r.checkout_session_id || (r.hold_expires_at as Date) < graceCutoff,
  );
  let released = 0;
  for (const candidate of candidates) {
    const effects = newEffects();
    await withTransaction(deps.pool, async (client) => {
      const event = await lockEventById(client, candidate.event_id);
      const row = event && (await findRsvp(client, event.id, candidate.member_id));
      if (!event || !row || row.seat !== 'held' || !row.hold_expires_at) return;
      if (row.hold_expires_at.getTime() !== candidate.hold_expires_at?.getTime()) return;
      await applyRsvp(client, deps, event, row.member_id, 'declined', 'hold-expired', now, effects);
      await publishSeatChanges(client, event, effects, now);
      released += 1;
    });
    await expireCheckouts(deps, effects.expireCheckouts);
  }
  if (released > 0) deps.wakeRelay();
  return released;
}

export async function runMaintenanceOnce(
  deps: Deps,
  what: { reminders?: boolean; refunds?: boolean; holds?: boolean } = {},
): Promise<void> {
  if (what.holds !== false) await releaseExpiredHolds(deps);
  if (what.refunds !== false) await processDueRefunds(deps);
  if (what.reminders !== false) await sendDueReminders(deps);
}

export interface MaintenanceLoop {
  stop(): Promise<void>;
}

/** Runs the maintenance every `tickMs` until stopped; errors are logged and retried next tick. */
export function startMaintenanceLoop(deps: Deps, tickMs: number): MaintenanceLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const running = (async () => {
    while (!stopped) {
      await runMaintenanceOnce(deps).catch((error) =>
        deps.logger.warn({ err: error }, 'events maintenance failed'),
      );
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, tickMs);
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await running;
    },
  };
}
