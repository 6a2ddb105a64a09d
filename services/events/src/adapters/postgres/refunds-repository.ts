import type { Queryable } from '@coterie/db';
import { uuidv7 } from 'uuidv7';

export interface RefundRow {
  id: string;
  event_id: string;
  member_id: string;
  payment_intent_id: string;
  attempts: number;
}

/** Records that a payment must be given back; once per PaymentIntent. */
export async function refundDue(
  db: Queryable,
  r: {
    eventId: string;
    memberId: string;
    paymentIntentId: string;
    amount: string;
    currency: string;
    reason: string;
  },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO refunds (id, event_id, member_id, payment_intent_id, amount, currency, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (payment_intent_id) DO NOTHING`,
    [uuidv7(), r.eventId, r.memberId, r.paymentIntentId, r.amount, r.currency, r.reason],
  );
  return rowCount === 1;
}

export async function claimDueRefund(db: Queryable): Promise<RefundRow | undefined> {
  const { rows } = await db.query<RefundRow>(
    `SELECT id, event_id, member_id, payment_intent_id, attempts FROM refunds
     WHERE status = 'due' AND attempts < 20 ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
  );
  return rows[0];
}

export async function markRefunded(
  db: Queryable,
  id: string,
  stripeRefundId: string,
  at: Date,
): Promise<void> {
  await db.query(
    `UPDATE refunds SET status = 'done', stripe_refund_id = $2, done_at = $3, attempts = attempts + 1 WHERE id = $1`,
    [id, stripeRefundId, at],
  );
}

export async function refundFailed(db: Queryable, id: string, error: string): Promise<void> {
  await db.query('UPDATE refunds SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [
    id,
    error.slice(0, 1_000),
  ]);
}
