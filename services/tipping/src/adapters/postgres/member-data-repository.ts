import type { Queryable } from '@coterie/db';
import { accounts } from '../../domain/ledger/accounts.ts';
import type { TipRow } from './tips-repository.ts';

/** Tips the member sent (any status), and tips with a line or a fiat request naming them as recipient. */
export async function tipsOfMember(
  db: Queryable,
  memberId: string,
): Promise<{ sent: TipRow[]; received: TipRow[] }> {
  const [sent, received] = await Promise.all([
    db.query<TipRow>('SELECT * FROM tips WHERE from_member_id = $1 ORDER BY created_at, id', [memberId]),
    db.query<TipRow>(
      `SELECT * FROM tips t
        WHERE t.to_recipient = $1::text
           OR EXISTS (SELECT 1 FROM tip_lines l WHERE l.tip_id = t.id AND l.to_recipient = $1::text)
        ORDER BY t.created_at, t.id`,
      [memberId],
    ),
  ]);
  return { sent: sent.rows, received: received.rows };
}

/** The member's ledger account, summed per asset. */
export async function ledgerBalancesOf(
  db: Queryable,
  memberId: string,
): Promise<{ asset: string; value: string }[]> {
  const { rows } = await db.query<{ asset: string; value: string }>(
    `SELECT asset, sum(amount)::text AS value FROM ledger_entries WHERE account = $1
      GROUP BY asset ORDER BY asset`,
    [accounts.member(memberId)],
  );
  return rows;
}

/**
 * An erased member's personal free text: the messages of tips they sent or were sent. Amounts,
 * lines and the (append-only) ledger are untouched, so every balance and invariant still holds.
 */
export async function scrubTipMessagesOf(db: Queryable, memberId: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE tips t SET message = NULL, updated_at = now()
      WHERE t.message IS NOT NULL
        AND (t.from_member_id = $1
             OR t.to_recipient = $1::text
             OR EXISTS (SELECT 1 FROM tip_lines l WHERE l.tip_id = t.id AND l.to_recipient = $1::text))`,
    [memberId],
  );
  return rowCount ?? 0;
}
