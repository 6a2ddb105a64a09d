import type { TipRejectionReason } from '@coterie/contracts';
import {
  getAddress,
  type Hex,
  type PublicClient,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
} from 'viem';
import { type AssessedLine, assessTransfers, TRANSFER_TOPIC } from '../domain/crypto/assess-transfers.ts';
import type { CommunityInfo, TippingDeps } from '../ports.ts';

export interface VerifyCryptoTxInput {
  chainId: number;
  txHash: Hex;
  community: CommunityInfo;
  senders: readonly string[];
  sendersReason: 'not_your_wallet' | 'not_treasury_wallet';
  intended?: string | undefined;
  self?: string | undefined;
}

export type Verification =
  | { state: 'rejected'; reason: TipRejectionReason }
  | { state: 'unmined' }
  | { state: 'verified'; blockNumber: bigint; blockHash: Hex; confirmations: bigint; lines: AssessedLine[] };

const notFound = (error: unknown) =>
  error instanceof TransactionNotFoundError || error instanceof TransactionReceiptNotFoundError;

async function getTx(client: PublicClient, hash: Hex) {
  return client.getTransaction({ hash }).catch((error) => {
    if (notFound(error)) return null;
    throw error;
  });
}

/**
 * Reads the claimed tx from the claimed chain and decides which of its transfers are tips
 * (see `assessTransfers`). A tx unknown on the claimed chain but known on another configured
 * chain is `wrong_chain`; unknown everywhere is `unmined` (it may still be propagating; the
 * confirmer gives up after `TIP_UNMINED_TIMEOUT_MS` with `tx_not_found`).
 */
export async function verifyCryptoTx(deps: TippingDeps, input: VerifyCryptoTxInput): Promise<Verification> {
  const client = deps.chainClient(input.chainId);
  if (!client) return { state: 'rejected', reason: 'wrong_chain' };
  const tx = await getTx(client, input.txHash);
  if (!tx) {
    for (const other of deps.config.CHAINS) {
      if (other.chainId === input.chainId) continue;
      const elsewhere = deps.chainClient(other.chainId);
      if (elsewhere && (await getTx(elsewhere, input.txHash).catch(() => null))) {
        return { state: 'rejected', reason: 'wrong_chain' };
      }
    }
    return { state: 'unmined' };
  }
  if (tx.blockNumber === null || tx.blockHash === null) return { state: 'unmined' };
  const receipt = await client.getTransactionReceipt({ hash: input.txHash }).catch((error) => {
    if (notFound(error)) return null;
    throw error;
  });
  if (!receipt) return { state: 'unmined' };

  const allowed = deps.config.TIP_TOKENS.filter(
    (t) => t.chainId === input.chainId && (!t.communityId || t.communityId === input.community.id),
  ).map((t) => ({ token: t.token, decimals: t.decimals, min: BigInt(t.min) }));

  // Resolve every address a transfer could have gone to (the tx's value, allow-listed Transfer logs).
  const allowedTokens = new Set(allowed.map((t) => (t.token === 'native' ? 'native' : getAddress(t.token))));
  const destinations = new Set<string>();
  if (tx.value > 0n && tx.to) destinations.add(getAddress(tx.to));
  for (const log of receipt.logs) {
    if (
      log.topics[0] === TRANSFER_TOPIC &&
      log.topics.length === 3 &&
      allowedTokens.has(getAddress(log.address))
    ) {
      destinations.add(getAddress(`0x${(log.topics[2] as string).slice(26)}`));
    }
  }
  const treasury =
    input.community.treasury && input.community.treasury.chainId === input.chainId
      ? getAddress(input.community.treasury.address)
      : undefined;
  const recipients = new Map<string, string>();
  await Promise.all(
    [...destinations].map(async (address) => {
      if (address === treasury) return void recipients.set(address, 'creator');
      const memberId = await deps.members.memberByAddress(address);
      if (memberId) recipients.set(address, memberId);
    }),
  );

  const assessment = assessTransfers({
    claimedChainId: input.chainId,
    tx: { chainId: tx.chainId, from: tx.from, to: tx.to, value: tx.value },
    receipt: {
      status: receipt.status,
      logs: receipt.logs.map((l) => ({
        address: l.address,
        topics: l.topics,
        data: l.data,
        logIndex: l.logIndex,
      })),
    },
    allowed,
    senders: new Set(input.senders),
    sendersReason: input.sendersReason,
    recipientOf: (address) => recipients.get(address),
    intended: input.intended,
    self: input.self,
  });
  if (!assessment.ok) return { state: 'rejected', reason: assessment.reason };
  const head = await client.getBlockNumber({ cacheTime: 0 });
  return {
    state: 'verified',
    blockNumber: receipt.blockNumber,
    blockHash: receipt.blockHash,
    confirmations: head - receipt.blockNumber + 1n,
    lines: assessment.lines,
  };
}
