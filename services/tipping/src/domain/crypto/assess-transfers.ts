import type { TipRejectionReason } from '@coterie/contracts';
import { getAddress, type Hex } from 'viem';

/** keccak256("Transfer(address,address,uint256)"): ERC-20's and ERC-721's (the latter has 4 topics). */
export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

export interface AllowedToken {
  /** EIP-55 address, or `native`. */
  token: string;
  decimals: number;
  min: bigint;
}

export interface TxFacts {
  /** The chain id the transaction was signed for (EIP-155); undefined for pre-155 legacy txs. */
  chainId: number | undefined;
  from: string;
  to: string | null;
  value: bigint;
}

export interface ReceiptFacts {
  status: 'success' | 'reverted';
  logs: readonly { address: string; topics: readonly Hex[]; data: Hex; logIndex: number }[];
}

export interface AssessInput {
  claimedChainId: number;
  tx: TxFacts;
  receipt: ReceiptFacts;
  /** Tokens tips may be paid in on this chain, for this community. */
  allowed: readonly AllowedToken[];
  /** Who may have sent it (any case): the submitter's wallets (tips) or the treasury (rewards). */
  senders: ReadonlySet<string>;
  sendersReason: Extract<TipRejectionReason, 'not_your_wallet' | 'not_treasury_wallet'>;
  /** The recipient an EIP-55 destination address stands for (`creator` or a member id), if any. */
  recipientOf(address: string): string | undefined;
  /** Only transfers to this recipient count, when given. */
  intended?: string | undefined;
  /** Never credit the sender to themself. */
  self?: string | undefined;
}

export interface AssessedLine {
  logIndex: number | null;
  token: string;
  decimals: number;
  from: string;
  toAddress: string;
  to: string;
  amount: bigint;
}

export type Assessment = { ok: true; lines: AssessedLine[] } | { ok: false; reason: TipRejectionReason };

/** How far a candidate transfer got through the checks: the furthest failure is the one reported. */
const STAGES: TipRejectionReason[] = [
  'wrong_token_contract',
  'wrong_recipient',
  'not_your_wallet',
  'below_minimum',
];

/**
 * Decides from a mined transaction which transfers are tips, without I/O. A transfer counts when
 * (1) it is the tx's native value or a `Transfer` log emitted by an allow-listed token contract
 * itself (a look-alike contract emitting the same event is ignored), (2) it goes to the intended
 * recipient's linked wallet or the treasury, (3) it was sent by one of `senders`, and (4) it is
 * at least the token's minimum.
 *
 * On (3): a transfer is accepted when either the transaction's sender (`tx.from`, the EOA that
 * signed and paid for it) or the transfer's own `from` is one of the submitter's wallets. The
 * signer decided the transfer even when a contract executed it (a batch through Multicall3, a
 * router), and the owner of the moved funds paid it even when a relayer or smart account sent the
 * tx. A third party's tx satisfies neither, so nobody can claim someone else's tip.
 */
export function assessTransfers(input: AssessInput): Assessment {
  if (input.tx.chainId !== undefined && input.tx.chainId !== input.claimedChainId) {
    return { ok: false, reason: 'wrong_chain' };
  }
  if (input.receipt.status !== 'success') return { ok: false, reason: 'tx_failed' };

  const txFrom = getAddress(input.tx.from);
  const candidates: { logIndex: number | null; token: string; from: string; to: string; amount: bigint }[] =
    [];
  if (input.tx.value > 0n && input.tx.to) {
    candidates.push({
      logIndex: null,
      token: 'native',
      from: txFrom,
      to: getAddress(input.tx.to),
      amount: input.tx.value,
    });
  }
  for (const log of input.receipt.logs) {
    // ERC-20: Transfer(address indexed from, address indexed to, uint256 value) has exactly 3 topics
    // and 32 bytes of data; ERC-721's Transfer shares the topic but indexes the token id (4 topics).
    if (log.topics[0] !== TRANSFER_TOPIC || log.topics.length !== 3 || log.data.length !== 66) continue;
    candidates.push({
      logIndex: log.logIndex,
      token: getAddress(log.address),
      from: topicAddress(log.topics[1] as Hex),
      to: topicAddress(log.topics[2] as Hex),
      amount: BigInt(log.data),
    });
  }
  if (candidates.length === 0) return { ok: false, reason: 'no_transfer' };

  const senders = new Set([...input.senders].map((a) => a.toLowerCase()));
  const allowed = new Map(
    input.allowed.map((t) => [t.token === 'native' ? 'native' : getAddress(t.token), t]),
  );
  const lines: AssessedLine[] = [];
  let furthest = -1;
  for (const c of candidates) {
    const token = allowed.get(c.token);
    if (!token) {
      furthest = Math.max(furthest, 0);
      continue;
    }
    const to = input.recipientOf(c.to);
    if (!to || (input.intended !== undefined && to !== input.intended) || (input.self && to === input.self)) {
      furthest = Math.max(furthest, 1);
      continue;
    }
    if (!senders.has(txFrom.toLowerCase()) && !senders.has(c.from.toLowerCase())) {
      furthest = Math.max(furthest, 2);
      continue;
    }
    if (c.amount < token.min) {
      furthest = Math.max(furthest, 3);
      continue;
    }
    lines.push({
      logIndex: c.logIndex,
      token: c.token,
      decimals: token.decimals,
      from: c.from,
      toAddress: c.to,
      to,
      amount: c.amount,
    });
  }
  if (lines.length > 0) return { ok: true, lines };
  const reason = STAGES[furthest] ?? 'no_transfer';
  return { ok: false, reason: reason === 'not_your_wallet' ? input.sendersReason : reason };
}

function topicAddress(topic: Hex): string {
  return getAddress(`0x${topic.slice(26)}`);
}
