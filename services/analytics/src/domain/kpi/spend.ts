import { divRoundHalfUp } from './money.ts';

/** One month's acquisition spend as the creator entered it. */
export interface MonthlySpend {
  /** `YYYY-MM` (UTC). */
  month: string;
  currency: string;
  amount: bigint;
}

export function monthBounds(month: string): { start: Date; end: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { start: new Date(Date.UTC(y, m - 1, 1)), end: new Date(Date.UTC(y, m, 1)) };
}

/**
 * Spend attributed to [from, to), per currency: each month's amount × the share of the month the
 * range covers (by time), rounded half up to the minor unit per month, then summed.
 */
export function spendInRange(spend: readonly MonthlySpend[], from: Date, to: Date): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const s of spend) {
    const { start, end } = monthBounds(s.month);
    const overlap = Math.min(end.getTime(), to.getTime()) - Math.max(start.getTime(), from.getTime());
    if (overlap <= 0) continue;
    const share = divRoundHalfUp(s.amount * BigInt(overlap), BigInt(end.getTime() - start.getTime()));
    out.set(s.currency, (out.get(s.currency) ?? 0n) + share);
  }
  return out;
}
