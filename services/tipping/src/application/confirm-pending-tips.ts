import type { Queryable } from '@coterie/db';
import { withTransaction } from '@coterie/db';
import { type Hex, TransactionReceiptNotFoundError } from 'viem';
import { linesOf, lockDueCryptoTips, type TipRow, updateTip } from '../adapters/postgres/tips-repository.ts';
import type { TippingDeps } from '../ports.ts';
import { creditLines, reverseLines } from './credit-lines.ts';
import { applyVerification, sendersFor } from './submit-crypto-tip.ts';
import { verifyCryptoTx } from './verify-crypto-tx.ts';

/**
 * One pass of the confirmer over pending crypto tips that are due. Each tip is locked for this
 * replica only (SKIP LOCKED), so replicas share the work. Returns how many tips it looked at.
 */
export async function confirmDueTips(deps: TippingDeps, batchSize = 20): Promise<number> {
  return withTransaction(deps.pool, async (client) => {
    const due = await lockDueCryptoTips(client, deps.clock.now(), batchSize);
    for (const tip of due) {
      await client.query('SAVEPOINT recheck');
      try {
        await recheck(client, deps, tip);
        await client.query('RELEASE SAVEPOINT recheck');
      } catch (error) {
        await client.query('ROLLBACK TO SAVEPOINT recheck');
        // A chain or identity hiccup: try again next round, the other tips go on.
        deps.logger.warn({ err: error, tipId: tip.id }, 'could not re-check a pending tip');
        await updateTip(client, tip.id, { next_check_at: later(deps) });
      }
    }
    if (due.length > 0) deps.wakeRelay();
    return due.length;
  });
}

const later = (deps: TippingDeps) =>
  new Date(deps.clock.now().getTime() + deps.config.TIP_CONFIRMER_INTERVAL_MS);

async function recheck(client: Queryable, deps: TippingDeps, tip: TipRow): Promise<void> {
  const chainId = tip.chain_id as number;
  const hash = tip.tx_hash as Hex;
  const chain = deps.chainClient(chainId);
  if (!chain)
    return void (await updateTip(client, tip.id, {
      status: 'rejected',
      reason: 'wrong_chain',
      next_check_at: null,
    }));
  const now = deps.clock.now();

  if (!tip.block_hash) {
    // Not mined when submitted: verify now, or give up after the timeout.
    const community = await deps.communities.get(tip.community_id);
    if (!community) return void (await updateTip(client, tip.id, { next_check_at: later(deps) }));
    const { senders, sendersReason } = await sendersFor(
      deps,
      { kind: tip.kind, from: tip.from_member_id, chainId },
      community,
    );
    const verification = await verifyCryptoTx(deps, {
      chainId,
      txHash: hash,
      community,
      senders,
      sendersReason,
      intended: tip.to_recipient ?? undefined,
      self: tip.from_member_id,
    });
    if (verification.state === 'unmined') {
      const expired = now.getTime() - tip.created_at.getTime() > deps.config.TIP_UNMINED_TIMEOUT_MS;
      await updateTip(
        client,
        tip.id,
        expired
          ? { status: 'rejected', reason: 'tx_not_found', next_check_at: null }
          : { next_check_at: later(deps) },
      );
      return;
    }
    await applyVerification(client, deps, tip, verification);
    return;
  }

  // Verified earlier: the receipt must still be the one we saw, in the canonical chain.
  const receipt = await chain.getTransactionReceipt({ hash }).catch((error) => {
    if (error instanceof TransactionReceiptNotFoundError) return null;
    throw error;
  });
  const canonical = receipt
    ? await chain.getBlock({ blockNumber: receipt.blockNumber }).catch(() => null)
    : null;
  if (
    !receipt ||
    receipt.blockHash !== tip.block_hash ||
    receipt.status !== 'success' ||
    canonical?.hash !== tip.block_hash
  ) {
    const lines = (await linesOf(client, [tip.id])).get(tip.id) ?? [];
    await reverseLines(client, tip, lines, 'reorged', now);
    await updateTip(client, tip.id, { status: 'rejected', reason: 'reorged', next_check_at: null });
    return;
  }
  const head = await chain.getBlockNumber({ cacheTime: 0 });
  const required = BigInt(deps.config.CHAINS.find((c) => c.chainId === chainId)?.confirmations ?? 1);
  if (head - receipt.blockNumber + 1n >= required) {
    const lines = (await linesOf(client, [tip.id])).get(tip.id) ?? [];
    await creditLines(client, tip, lines, now);
    await updateTip(client, tip.id, { next_check_at: null });
  } else {
    await updateTip(client, tip.id, { next_check_at: later(deps) });
  }
}

export interface Confirmer {
  stop(): Promise<void>;
}

/** Runs `confirmDueTips` every `intervalMs` until stopped (finishing the pass in progress). */
export function startConfirmer(deps: TippingDeps, intervalMs: number): Confirmer {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    current = confirmDueTips(deps)
      .catch((error) => deps.logger.warn({ err: error }, 'confirmer pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
