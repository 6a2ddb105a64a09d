import { type TipAmount, tipReceivedV1, tipReversedV1 } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';
import { appendToOutbox, newEvent } from '@coterie/messaging';
import { postLedgerTransaction, reverseLedgerTransaction } from '../adapters/postgres/ledger-repository.ts';
import {
  amountOf,
  type LineRow,
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
    const fee =
      tip.rail === 'fiat' && tip.kind === 'tip' && tip.fee_minor && tip.currency
        ? { fee: { value: tip.fee_minor, currency: tip.currency } }
        : {};
    await appendToOutbox(
      client,
      newEvent(
        tipReceivedV1,
        { ...lineFact(tip, line, id, now), ...fee },
        { source: 'tipping', communityId: tip.community_id, occurredAt: now, correlationId: tip.id },
      ),
    );
  }
  await updateTip(client, tip.id, { status: 'confirmed', reason: null, confirmed_at: now });
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
