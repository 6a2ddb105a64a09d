import { type TipAmount, tipReceivedV1, tipReversedV1 } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';
import { appendManyToOutbox, appendToOutbox, newEvent } from '@coterie/messaging';
import { uuidv7 } from 'uuidv7';
import {
  postLedgerTransaction,
  postNewLedgerTransactions,
  reverseLedgerTransaction,
} from '../adapters/postgres/ledger-repository.ts';
import {
  amountOf,
  confirmTips,
  insertCreditedLines,
  type LineRow,
  type NewLine,
  setLineCredit,
  type TipRow,
  updateTip,
} from '../adapters/postgres/tips-repository.ts';
import { parseAsset } from '../domain/ledger/assets.ts';
import type { Entry } from '../domain/ledger/ledger.ts';
import { cryptoTipEntries, fiatTipEntries, rewardEntries } from '../domain/ledger/tip-postings.ts';

function entriesFor(tip: TipRow, line: LineRow): Entry[] {
  const amount = BigInt(line.amount);
  if (tip.kind === 'reward') {
    return rewardEntries({
      communityId: tip.community_id,
      memberId: line.to_recipient,
      asset: line.asset,
      amount,
    });
  }
  const asset = parseAsset(line.asset);
  if (asset.type === 'fiat') {
    return fiatTipEntries({
      communityId: tip.community_id,
      to: line.to_recipient,
      currency: asset.currency,
      amount,
      fee: BigInt(tip.fee_minor ?? '0'),
    });
  }
  return cryptoTipEntries({
    communityId: tip.community_id,
    to: line.to_recipient,
    chainId: asset.chainId,
    token: asset.token,
    amount,
  });
}

function lineFact(tip: TipRow, line: LineRow, creditId: string, occurredAt: Date) {
  return {
    tipId: tip.id,
    communityId: tip.community_id,
    kind: tip.kind,
    rail: tip.rail,
    from: tip.from_member_id,
    to: line.to_recipient,
    amount: amountOf(line.asset, line.decimals, line.amount) as TipAmount,
    asset: line.asset,
    creditId,
    ...(tip.chain_id !== null ? { chainId: tip.chain_id } : {}),
    ...(tip.tx_hash ? { txHash: tip.tx_hash } : {}),
    ...(tip.rail === 'crypto'
      ? { logIndex: line.log_index !== null && line.log_index >= 0 ? line.log_index : null }
      : {}),
    occurredAt: occurredAt.toISOString(),
  };
}

/**
 * Confirms a tip: one ledger transaction and one `tipping.tip.received.v1` per line not yet
 * credited, in the caller's transaction. Idempotent per line (the ledger's idempotency key).
 */
export async function creditLines(
  client: Queryable,
  tip: TipRow,
  lines: readonly LineRow[],
  now: Date,
): Promise<void> {
  for (const line of lines) {
    if (line.credit_id) continue;
    const { id, posted } = await postLedgerTransaction(client, {
      kind: `${tip.kind}.credit`,
      communityId: tip.community_id,
      tipId: tip.id,
      idempotencyKey: `tip:${tip.id}:line:${line.line_no}:credit`,
      entries: entriesFor(tip, line),
    });
    await setLineCredit(client, tip.id, line.line_no, id);
    if (!posted) continue;
    await appendToOutbox(client, tipReceived(tip, line, id, now));
  }
  await updateTip(client, tip.id, { status: 'confirmed', reason: null, confirmed_at: now });
}

function tipReceived(tip: TipRow, line: LineRow, creditId: string, now: Date) {
  const fee =
    tip.rail === 'fiat' && tip.kind === 'tip' && tip.fee_minor && tip.currency
      ? { fee: { value: tip.fee_minor, currency: tip.currency } }
      : {};
  return newEvent(
    tipReceivedV1,
    { ...lineFact(tip, line, creditId, now), ...fee },
    { source: 'tipping', communityId: tip.community_id, occurredAt: now, correlationId: tip.id },
  );
}

/**
 * What `insertLines` + `creditLines` do for each of many tips that have no lines yet (one line
 * each), in four statements for the lot instead of five per tip: the same ledger transactions,
 * credited lines, `tipping.tip.received.v1` events (each with its own trace context) and
 * confirmations. Throws, leaving the caller's transaction to roll back, if any of the credits
 * had posted before: booking those one by one handles that case.
 */
export async function creditNewLines(
  client: Queryable,
  credits: readonly { tip: TipRow; line: NewLine; traceHeaders: Record<string, string> }[],
  now: Date,
): Promise<void> {
  if (credits.length === 0) return;
  const rows = credits.map(({ tip, line, traceHeaders }) => ({
    tip,
    traceHeaders,
    line: { ...line, tip_id: tip.id, credit_id: uuidv7() } as LineRow & { credit_id: string },
  }));
  const posted = await postNewLedgerTransactions(
    client,
    rows.map(({ tip, line }) => ({
      id: line.credit_id,
      kind: `${tip.kind}.credit`,
      communityId: tip.community_id,
      tipId: tip.id,
      idempotencyKey: `tip:${tip.id}:line:${line.line_no}:credit`,
      entries: entriesFor(tip, line),
    })),
  );
  if (posted.size !== rows.length) throw new Error('a credit of this batch had posted before');
  await insertCreditedLines(
    client,
    rows.map((r) => r.line),
  );
  await appendManyToOutbox(
    client,
    rows.map(({ tip, line, traceHeaders }) => ({
      event: tipReceived(tip, line, line.credit_id, now),
      traceHeaders,
    })),
  );
  await confirmTips(
    client,
    rows.map((r) => r.tip.id),
    now,
  );
}

/** Takes credited lines back with new (reversing) ledger transactions and `tipping.tip.reversed.v1`. */
export async function reverseLines(
  client: Queryable,
  tip: TipRow,
  lines: readonly LineRow[],
  reason: 'refunded' | 'reorged',
  now: Date,
): Promise<void> {
  for (const line of lines) {
    if (!line.credit_id) continue;
    const { id, posted } = await reverseLedgerTransaction(client, {
      originalId: line.credit_id,
      kind: `${tip.kind}.reversal`,
      communityId: tip.community_id,
      tipId: tip.id,
      idempotencyKey: `tip:${tip.id}:line:${line.line_no}:reversal`,
    });
    if (!posted) continue;
    await appendToOutbox(
      client,
      newEvent(
        tipReversedV1,
        { ...lineFact(tip, line, line.credit_id, now), reversalId: id, reason },
        { source: 'tipping', communityId: tip.community_id, occurredAt: now, correlationId: tip.id },
      ),
    );
  }
}
