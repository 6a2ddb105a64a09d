import type { Tip } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';
import { withTransaction } from '@coterie/db';
import { uuidv7 } from 'uuidv7';
import type { Hex } from 'viem';
import {
  findCryptoTip,
  insertLines,
  insertTip,
  linesOf,
  type NewLine,
  type TipRow,
  toTip,
  updateTip,
} from '../adapters/postgres/tips-repository.ts';
import { tokenAsset } from '../domain/ledger/assets.ts';
import {
  ChainNotSupportedError,
  CommunityNotFoundError,
  MemberNotFoundError,
  TreasuryNotSetError,
  TxSubmittedElsewhereError,
} from '../domain/tipping-errors.ts';
import type { CommunityInfo, TippingDeps } from '../ports.ts';
import { creditLines } from './credit-lines.ts';
import { requireMayTip } from './require-may-tip.ts';
import { type Verification, verifyCryptoTx } from './verify-crypto-tx.ts';

export interface SubmitCryptoTipInput {
  actorId: string;
  communityId: string;
  chainId: number;
  txHash: string;
  to?: string | undefined;
  message?: string | undefined;
}

/** Who may have sent a tip (the member's wallets) or a reward (the community treasury). */
export async function sendersFor(
  deps: TippingDeps,
  tip: { kind: 'tip' | 'reward'; from: string; chainId: number },
  community: CommunityInfo,
): Promise<{ senders: string[]; sendersReason: 'not_your_wallet' | 'not_treasury_wallet' }> {
  if (tip.kind === 'reward') {
    const treasury = community.treasury;
    if (!treasury || treasury.chainId !== tip.chainId) throw new TreasuryNotSetError();
    return { senders: [treasury.address], sendersReason: 'not_treasury_wallet' };
  }
  const wallets = await deps.members.wallets(tip.from);
  if (wallets === null) throw new MemberNotFoundError();
  return { senders: wallets, sendersReason: 'not_your_wallet' };
}

export function linesFrom(
  chainId: number,
  txHash: string,
  verification: Extract<Verification, { state: 'verified' }>,
): NewLine[] {
  return verification.lines.map((l, i) => ({
    line_no: i,
    to_recipient: l.to,
    asset: tokenAsset(chainId, l.token),
    decimals: l.decimals,
    amount: l.amount.toString(),
    chain_id: chainId,
    tx_hash: txHash,
    log_index: l.logIndex ?? -1,
    from_address: l.from,
    to_address: l.toAddress,
  }));
}

/**
 * Records a verified tx on a pending/known tip, in the caller's transaction: its lines (a log
 * another tip already holds is skipped: credited once per (chain, tx, log)), then the credit
 * when the chain has the configured confirmations.
 */
export async function applyVerification(
  client: Queryable,
  deps: TippingDeps,
  tip: TipRow,
  verification: Verification,
): Promise<void> {
  const now = deps.clock.now();
  if (verification.state === 'rejected') {
    await updateTip(client, tip.id, { status: 'rejected', reason: verification.reason, next_check_at: null });
    return;
  }
  if (verification.state === 'unmined') return;
  const txHash = tip.tx_hash as string;
  const chainId = tip.chain_id as number;
  const lines = await insertLines(client, tip.id, linesFrom(chainId, txHash, verification));
  if (lines.length === 0) {
    await updateTip(client, tip.id, { status: 'rejected', reason: 'already_credited', next_check_at: null });
    return;
  }
  await updateTip(client, tip.id, {
    block_number: verification.blockNumber.toString(),
    block_hash: verification.blockHash,
  });
  const required = BigInt(deps.config.CHAINS.find((c) => c.chainId === chainId)?.confirmations ?? 1);
  if (verification.confirmations >= required) {
    await creditLines(client, tip, lines, now);
    await updateTip(client, tip.id, { next_check_at: null });
  } else {
    await updateTip(client, tip.id, {
      next_check_at: new Date(now.getTime() + deps.config.TIP_CONFIRMER_INTERVAL_MS),
    });
  }
}

/**
 * A crypto tip (or, with `kind: 'reward'`, an admin reward from the treasury) proven by a tx
 * hash. The same (chain, tx) from the same member is the same tip, also when submitted
 * concurrently: the unique key decides the one row, the others read it.
 */
export async function submitCryptoTip(
  deps: TippingDeps,
  input: SubmitCryptoTipInput,
  kind: 'tip' | 'reward' = 'tip',
): Promise<Tip> {
  const txHash = input.txHash.toLowerCase();
  const existing = await findCryptoTip(deps.pool, input.chainId, txHash, input.actorId);
  if (existing) return present(deps, existing, input.communityId);
  if (!deps.chainClient(input.chainId)) throw new ChainNotSupportedError(input.chainId);
  const community = await deps.communities.get(input.communityId);
  if (!community) throw new CommunityNotFoundError();
  // Rewards are gated by the admin role instead (`rewardMember`).
  if (kind === 'tip') await requireMayTip(deps, community, input.actorId);
  const { senders, sendersReason } = await sendersFor(
    deps,
    { kind, from: input.actorId, chainId: input.chainId },
    community,
  );

  const verification = await verifyCryptoTx(deps, {
    chainId: input.chainId,
    txHash: txHash as Hex,
    community,
    senders,
    sendersReason,
    intended: input.to,
    self: input.actorId,
  });
  const now = deps.clock.now();
  const inserted = await withTransaction(deps.pool, async (client) => {
    const tip = await insertTip(client, {
      id: uuidv7(),
      community_id: input.communityId,
      kind,
      rail: 'crypto',
      status: verification.state === 'rejected' ? 'rejected' : 'pending',
      reason: verification.state === 'rejected' ? verification.reason : null,
      from_member_id: input.actorId,
      message: input.message ?? null,
      to_recipient: input.to ?? null,
      chain_id: input.chainId,
      tx_hash: txHash,
      next_check_at:
        verification.state === 'rejected'
          ? null
          : new Date(now.getTime() + deps.config.TIP_CONFIRMER_INTERVAL_MS),
    });
    if (!tip) return undefined;
    if (verification.state === 'verified') await applyVerification(client, deps, tip, verification);
    return tip;
  });
  deps.wakeRelay();
  const row = await findCryptoTip(deps.pool, input.chainId, txHash, input.actorId);
  if (!row)
    throw new Error(inserted ? 'tip vanished after insert' : 'tip vanished after a conflicting insert');
  return present(deps, row, input.communityId);
}

async function present(deps: TippingDeps, row: TipRow, communityId: string): Promise<Tip> {
  if (row.community_id !== communityId) throw new TxSubmittedElsewhereError();
  const lines = (await linesOf(deps.pool, [row.id])).get(row.id) ?? [];
  return toTip(row, lines);
}
