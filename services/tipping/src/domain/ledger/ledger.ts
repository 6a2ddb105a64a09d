import type { AssetKey } from './assets.ts';

/** One leg of a ledger transaction: a signed amount (credit > 0, debit < 0) of one asset. */
export interface Entry {
  account: string;
  asset: AssetKey;
  amount: bigint;
}

export class UnbalancedTransactionError extends Error {
  constructor(
    readonly asset: AssetKey,
    readonly sum: bigint,
  ) {
    super(`ledger transaction does not balance: ${asset} sums to ${sum}`);
    this.name = 'UnbalancedTransactionError';
  }
}

/** The sum of `entries` per asset (amounts of different assets never meet). */
export function sumsByAsset(entries: readonly Entry[]): Map<AssetKey, bigint> {
  const sums = new Map<AssetKey, bigint>();
  for (const e of entries) sums.set(e.asset, (sums.get(e.asset) ?? 0n) + e.amount);
  return sums;
}

/**
 * The double-entry rule: every transaction has entries, none of them zero, and they sum to zero
 * per asset. Throws otherwise; called before anything is written.
 */
export function assertBalanced(entries: readonly Entry[]): void {
  if (entries.length < 2) throw new Error('a ledger transaction has at least two entries');
  for (const e of entries) {
    if (e.amount === 0n) throw new Error(`zero entry for ${e.account}`);
  }
  for (const [asset, sum] of sumsByAsset(entries)) {
    if (sum !== 0n) throw new UnbalancedTransactionError(asset, sum);
  }
}

/** The entries of the transaction that undoes `entries` (append-only: a reversal is new, never an edit). */
export function reversalEntries(entries: readonly Entry[]): Entry[] {
  return entries.map((e) => ({ ...e, amount: -e.amount }));
}

/** Balances derive from entries, keyed `<account>|<asset>`; zero balances are dropped. */
export function balancesOf(entries: Iterable<Entry>): Map<string, bigint> {
  const balances = new Map<string, bigint>();
  for (const e of entries) {
    const key = `${e.account}|${e.asset}`;
    const next = (balances.get(key) ?? 0n) + e.amount;
    if (next === 0n) balances.delete(key);
    else balances.set(key, next);
  }
  return balances;
}
