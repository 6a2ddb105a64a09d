import type { Queryable } from '@coterie/db';

/** The community's connected account, if it has one. */
export async function findStripeAccount(
  q: Queryable,
  communityId: string,
): Promise<{ accountId: string; chargesEnabled: boolean } | undefined> {
  const { rows } = await q.query<{ stripe_account_id: string | null; stripe_charges_enabled: boolean }>(
    'SELECT stripe_account_id, stripe_charges_enabled FROM communities WHERE id = $1',
    [communityId],
  );
  const row = rows[0];
  return row?.stripe_account_id
    ? { accountId: row.stripe_account_id, chargesEnabled: row.stripe_charges_enabled }
    : undefined;
}

/** Stores the account unless one is already there; returns the one that stands. */
export async function saveStripeAccount(
  q: Queryable,
  communityId: string,
  accountId: string,
): Promise<string> {
  const { rows } = await q.query<{ stripe_account_id: string }>(
    `UPDATE communities SET stripe_account_id = COALESCE(stripe_account_id, $2), updated_at = now()
     WHERE id = $1 RETURNING stripe_account_id`,
    [communityId, accountId],
  );
  return rows[0]?.stripe_account_id ?? accountId;
}

/** `account.updated`: whether the connected account may take charges now. */
export async function setChargesEnabled(q: Queryable, accountId: string, enabled: boolean): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE communities SET stripe_charges_enabled = $2, updated_at = now()
     WHERE stripe_account_id = $1 AND stripe_charges_enabled IS DISTINCT FROM $2`,
    [accountId, enabled],
  );
  return (rowCount ?? 0) > 0;
}

export async function findStripeCustomer(q: Queryable, memberId: string): Promise<string | undefined> {
  const { rows } = await q.query<{ customer_id: string }>(
    'SELECT customer_id FROM stripe_customers WHERE member_id = $1',
    [memberId],
  );
  return rows[0]?.customer_id;
}

/** The first customer Stripe created for the member stays theirs. */
export async function saveStripeCustomer(q: Queryable, memberId: string, customerId: string): Promise<void> {
  await q.query(
    'INSERT INTO stripe_customers (member_id, customer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [memberId, customerId],
  );
}
