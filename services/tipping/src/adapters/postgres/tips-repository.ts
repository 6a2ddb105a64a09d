import type { Tip, TipAmount } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';
import { parseAsset } from '../../domain/ledger/assets.ts';

export interface TipRow {
  id: string;
  community_id: string;
  kind: 'tip' | 'reward';
  rail: 'fiat' | 'crypto';
  status: Tip['status'];
  reason: string | null;
  from_member_id: string;
  message: string | null;
  to_recipient: string | null;
  currency: string | null;
  amount_minor: string | null;
  fee_minor: string | null;
  idempotency_key: string | null;
  stripe_payment_intent_id: string | null;
  payout_status: 'pending' | null;
  chain_id: number | null;
  tx_hash: string | null;
  block_number: string | null;
  block_hash: string | null;
  next_check_at: Date | null;
  created_at: Date;
  confirmed_at: Date | null;
}

export interface LineRow {
  tip_id: string;
  line_no: number;
  to_recipient: string;
  asset: string;
  decimals: number;
  amount: string;
  chain_id: number | null;
  tx_hash: string | null;
  log_index: number | null;
  from_address: string | null;
  to_address: string | null;
  credit_id: string | null;
}

export type NewLine = Omit<LineRow, 'tip_id' | 'credit_id'>;

export function amountOf(asset: string, decimals: number, value: string): TipAmount {
  const parsed = parseAsset(asset);
  return parsed.type === 'fiat'
    ? { value, currency: parsed.currency }
    : { value, chainId: parsed.chainId, token: parsed.token, decimals };
}

export function toTip(row: TipRow, lines: readonly LineRow[]): Tip {
  const apiLines = lines.map((l) => ({
    to: l.to_recipient,
    amount: amountOf(l.asset, l.decimals, l.amount),
    logIndex: l.log_index === null || l.log_index < 0 ? null : l.log_index,
  }));
  const first = apiLines[0];
  const asked =
    row.currency && row.amount_minor ? { value: row.amount_minor, currency: row.currency } : undefined;
  return {
    id: row.id,
    communityId: row.community_id,
    kind: row.kind,
    rail: row.rail,
    status: row.status,
    ...(row.reason ? { reason: row.reason } : {}),
    from: row.from_member_id,
    to: first?.to ?? row.to_recipient,
    amount: first?.amount ?? asked ?? null,
    lines: apiLines,
    message: row.message,
    ...(row.chain_id !== null ? { chainId: row.chain_id } : {}),
    ...(row.tx_hash ? { txHash: row.tx_hash } : {}),
    ...(row.payout_status
      ? { payout: { status: 'pending' as const, reason: 'no_payout_method' as const } }
      : {}),
    createdAt: row.created_at.toISOString(),
    confirmedAt: row.confirmed_at?.toISOString() ?? null,
  };
}

export type NewTip = Pick<TipRow, 'id' | 'community_id' | 'kind' | 'rail' | 'status' | 'from_member_id'> &
  Partial<Omit<TipRow, 'created_at' | 'confirmed_at'>>;

const TIP_COLUMNS = [
  'id',
  'community_id',
  'kind',
  'rail',
  'status',
  'reason',
  'from_member_id',
  'message',
  'to_recipient',
  'currency',
  'amount_minor',
  'fee_minor',
  'idempotency_key',
  'stripe_payment_intent_id',
  'payout_status',
  'chain_id',
  'tx_hash',
  'block_number',
  'block_hash',
  'next_check_at',
] as const;

/** Inserts the tip unless one with the same idempotency key or (chain, tx, member) exists. */
export async function insertTip(db: Queryable, tip: NewTip): Promise<TipRow | undefined> {
  const values = TIP_COLUMNS.map((c) => (tip as Record<string, unknown>)[c] ?? null);
  const { rows } = await db.query<TipRow>(
    `INSERT INTO tips (${TIP_COLUMNS.join(', ')}, confirmed_at)
     VALUES (${TIP_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}, CASE WHEN $5 = 'confirmed' THEN now() END)
     ON CONFLICT DO NOTHING RETURNING *`,
    values,
  );
  return rows[0];
}

export async function findTip(db: Queryable, id: string, lock = false): Promise<TipRow | undefined> {
  const { rows } = await db.query<TipRow>(`SELECT * FROM tips WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [
    id,
  ]);
  return rows[0];
}

/**
 * Locks (and reads) the tips with these PaymentIntents or ids, in id order: transactions that
 * lock several tips this way wait for each other instead of deadlocking.
 */
export async function lockTipsInOrder(
  db: Queryable,
  keys: { paymentIntentIds: readonly string[]; tipIds: readonly string[] },
): Promise<TipRow[]> {
  if (keys.paymentIntentIds.length === 0 && keys.tipIds.length === 0) return [];
  const { rows } = await db.query<TipRow>(
    `SELECT * FROM tips WHERE stripe_payment_intent_id = ANY($1::text[]) OR id = ANY($2::uuid[])
     ORDER BY id FOR UPDATE`,
    [keys.paymentIntentIds, keys.tipIds],
  );
  return rows;
}

export async function findTipByIdempotencyKey(
  db: Queryable,
  memberId: string,
  key: string,
): Promise<TipRow | undefined> {
  const { rows } = await db.query<TipRow>(
    'SELECT * FROM tips WHERE from_member_id = $1 AND idempotency_key = $2',
    [memberId, key],
  );
  return rows[0];
}

export async function findCryptoTip(
  db: Queryable,
  chainId: number,
  txHash: string,
  memberId: string,
): Promise<TipRow | undefined> {
  const { rows } = await db.query<TipRow>(
    'SELECT * FROM tips WHERE chain_id = $1 AND tx_hash = $2 AND from_member_id = $3',
    [chainId, txHash.toLowerCase(), memberId],
  );
  return rows[0];
}

export async function findTipByPaymentIntent(
  db: Queryable,
  paymentIntentId: string,
  lock = false,
): Promise<TipRow | undefined> {
  const { rows } = await db.query<TipRow>(
    `SELECT * FROM tips WHERE stripe_payment_intent_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [paymentIntentId],
  );
  return rows[0];
}

export async function updateTip(
  db: Queryable,
  id: string,
  patch: Partial<
    Pick<
      TipRow,
      | 'status'
      | 'reason'
      | 'stripe_payment_intent_id'
      | 'block_number'
      | 'block_hash'
      | 'next_check_at'
      | 'confirmed_at'
    >
  >,
): Promise<void> {
  const keys = Object.keys(patch) as (keyof typeof patch)[];
  if (keys.length === 0) return;
  await db.query(
    `UPDATE tips SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
    [id, ...keys.map((k) => patch[k] ?? null)],
  );
}

export async function linesOf(db: Queryable, tipIds: readonly string[]): Promise<Map<string, LineRow[]>> {
  const byTip = new Map<string, LineRow[]>(tipIds.map((id) => [id, []]));
  if (tipIds.length === 0) return byTip;
  const { rows } = await db.query<LineRow>(
    'SELECT * FROM tip_lines WHERE tip_id = ANY($1::uuid[]) ORDER BY tip_id, line_no',
    [tipIds],
  );
  for (const row of rows) byTip.get(row.tip_id)?.push(row);
  return byTip;
}

/**
 * Inserts the lines; a chain transfer already held by another tip (the same log submitted by
 * someone else) is skipped. Returns the lines this tip now holds. One statement (one round trip):
 * the SELECT sees the lines from before the INSERT, the INSERT returns the new ones.
 */
/** The columns of new lines as arrays, in `tip_lines` order (line_no … to_address), for `unnest`. */
function lineColumns(lines: readonly NewLine[]) {
  const column = <K extends keyof NewLine>(key: K) => lines.map((l) => l[key]);
  return [
    column('line_no'),
    column('to_recipient'),
    column('asset'),
    column('decimals'),
    column('amount'),
    column('chain_id'),
    column('tx_hash'),
    column('log_index'),
    column('from_address'),
    column('to_address'),
  ];
}

export async function insertLines(
  db: Queryable,
  tipId: string,
  lines: readonly NewLine[],
): Promise<LineRow[]> {
  const { rows } = await db.query<LineRow>(
    `WITH added AS (
       INSERT INTO tip_lines (tip_id, line_no, to_recipient, asset, decimals, amount, chain_id, tx_hash, log_index, from_address, to_address)
       SELECT $1, * FROM unnest($2::integer[], $3::text[], $4::text[], $5::integer[], $6::numeric[],
                                $7::integer[], $8::text[], $9::integer[], $10::text[], $11::text[])
       ON CONFLICT (chain_id, tx_hash, log_index) WHERE chain_id IS NOT NULL DO NOTHING
       RETURNING *
     )
     SELECT * FROM tip_lines WHERE tip_id = $1 UNION ALL SELECT * FROM added ORDER BY line_no`,
    [tipId, ...lineColumns(lines)],
  );
  return rows;
}

export async function setLineCredit(
  db: Queryable,
  tipId: string,
  lineNo: number,
  creditId: string,
): Promise<void> {
  await db.query('UPDATE tip_lines SET credit_id = $3 WHERE tip_id = $1 AND line_no = $2', [
    tipId,
    lineNo,
    creditId,
  ]);
}

/** Pending crypto tips due for a re-check, each locked for this caller only. */
export async function lockDueCryptoTips(db: Queryable, now: Date, limit: number): Promise<TipRow[]> {
  const { rows } = await db.query<TipRow>(
    `SELECT * FROM tips WHERE status = 'pending' AND rail = 'crypto' AND next_check_at <= $1
     ORDER BY next_check_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, limit],
  );
  return rows;
}

/** Lines of tips that had none, each already credited (`credit_id` set), in one statement. */
export async function insertCreditedLines(db: Queryable, lines: readonly LineRow[]): Promise<void> {
  if (lines.length === 0) return;
  await db.query(
    `INSERT INTO tip_lines (tip_id, line_no, to_recipient, asset, decimals, amount, chain_id, tx_hash,
                            log_index, from_address, to_address, credit_id)
     SELECT * FROM unnest($1::uuid[], $2::integer[], $3::text[], $4::text[], $5::integer[], $6::numeric[],
                          $7::integer[], $8::text[], $9::integer[], $10::text[], $11::text[], $12::uuid[])`,
    [lines.map((l) => l.tip_id), ...lineColumns(lines), lines.map((l) => l.credit_id)],
  );
}

/** `updateTip(…, { status: 'confirmed', reason: null, confirmed_at })` for many tips at once. */
export async function confirmTips(db: Queryable, ids: readonly string[], confirmedAt: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `UPDATE tips SET status = 'confirmed', reason = NULL, confirmed_at = $2, updated_at = now()
     WHERE id = ANY($1::uuid[])`,
    [ids, confirmedAt],
  );
}
