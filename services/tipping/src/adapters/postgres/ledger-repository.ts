import type { Queryable } from '@coterie/db';
import { uuidv7 } from 'uuidv7';
import { assertBalanced, type Entry, reversalEntries } from '../../domain/ledger/ledger.ts';

export interface PostInput {
  kind: string;
  communityId: string;
  tipId: string | null;
  /** The fact that causes the posting; the same key never posts twice. */
  idempotencyKey: string;
  entries: Entry[];
  reverses?: string;
}

/**
 * Appends one balanced transaction (checked here and again by the database at commit).
 * Returns its id, or the id already posted under the same idempotency key.
 */
export async function postLedgerTransaction(
  db: Queryable,
  input: PostInput,
): Promise<{ id: string; posted: boolean }> {
  const id = uuidv7();
  const posted = await postNewLedgerTransactions(db, [{ ...input, id }]);
  if (!posted.has(id)) {
    const existing = await db.query<{ id: string }>(
      'SELECT id FROM ledger_transactions WHERE idempotency_key = $1',
      [input.idempotencyKey],
    );
    return { id: existing.rows[0]?.id as string, posted: false };
  }
  return { id, posted: true };
}

export async function entriesOf(db: Queryable, transactionId: string): Promise<Entry[]> {
  const { rows } = await db.query<{ account: string; asset: string; amount: string }>(
    'SELECT account, asset, amount FROM ledger_entries WHERE transaction_id = $1 ORDER BY id',
    [transactionId],
  );
  return rows.map((r) => ({ account: r.account, asset: r.asset, amount: BigInt(r.amount) }));
}

/** Posts the reversal of `originalId` as a new transaction (at most one per original). */
export async function reverseLedgerTransaction(
  db: Queryable,
  input: {
    originalId: string;
    kind: string;
    communityId: string;
    tipId: string | null;
    idempotencyKey: string;
  },
): Promise<{ id: string; posted: boolean }> {
  const original = await entriesOf(db, input.originalId);
  return postLedgerTransaction(db, {
    kind: input.kind,
    communityId: input.communityId,
    tipId: input.tipId,
    idempotencyKey: input.idempotencyKey,
    entries: reversalEntries(original),
    reverses: input.originalId,
  });
}

/** Balances derived from the entries (optionally of accounts with a prefix). */
export async function ledgerBalances(
  db: Queryable,
  accountPrefix = '',
): Promise<{ account: string; asset: string; balance: bigint }[]> {
  const { rows } = await db.query<{ account: string; asset: string; balance: string }>(
    `SELECT account, asset, sum(amount)::text AS balance FROM ledger_entries
     WHERE account LIKE $1 || '%' GROUP BY account, asset HAVING sum(amount) <> 0 ORDER BY account, asset`,
    [accountPrefix],
  );
  return rows.map((r) => ({ account: r.account, asset: r.asset, balance: BigInt(r.balance) }));
}

/**
 * Posts balanced transactions in one statement, each with the id given; one whose idempotency
 * key has posted before posts nothing. Returns the ids that posted.
 */
export async function postNewLedgerTransactions(
  db: Queryable,
  inputs: readonly (PostInput & { id: string })[],
): Promise<Set<string>> {
  if (inputs.length === 0) return new Set();
  for (const input of inputs) assertBalanced(input.entries);
  const entries = inputs.flatMap((input) => input.entries.map((entry) => ({ id: input.id, ...entry })));
  const { rows } = await db.query<{ id: string }>(
    `WITH tx AS (
       INSERT INTO ledger_transactions (id, kind, community_id, tip_id, reverses, idempotency_key)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[])
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id
     ), entries AS (
       INSERT INTO ledger_entries (transaction_id, account, asset, amount)
       SELECT e.transaction_id, e.account, e.asset, e.amount
         FROM unnest($7::uuid[], $8::text[], $9::text[], $10::numeric[])
              WITH ORDINALITY AS e(transaction_id, account, asset, amount, n)
         JOIN tx ON tx.id = e.transaction_id
         ORDER BY e.n
     )
     SELECT id FROM tx`,
    [
      inputs.map((i) => i.id),
      inputs.map((i) => i.kind),
      inputs.map((i) => i.communityId),
      inputs.map((i) => i.tipId),
      inputs.map((i) => i.reverses ?? null),
      inputs.map((i) => i.idempotencyKey),
      entries.map((e) => e.id),
      entries.map((e) => e.account),
      entries.map((e) => e.asset),
      entries.map((e) => e.amount.toString()),
    ],
  );
  return new Set(rows.map((r) => r.id));
}
