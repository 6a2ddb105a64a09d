import { divRoundHalfUp, ratio } from './money.ts';

/** One fact from `entitlements.subscription.changed.v1`, already normalised to a monthly value. */
export interface SubscriptionChange {
  subscriptionId: string;
  memberId: string;
  at: Date;
  /** Stripe status; `active` and `past_due` count as paying (past_due is in its grace period). */
  status: string;
  /** Monthly value in minor units (see `monthlyValue`). */
  mrr: bigint;
  currency: string;
}

/** Statuses that count as paying: `past_due` is in its grace period. */
export const PAYING_STATUSES = ['active', 'past_due'] as const;
const PAYING = new Set<string>(PAYING_STATUSES);

/** Each subscription's last change at or before `at` (changes are applied in time order). */
function stateAt(changes: readonly SubscriptionChange[], at: Date): Map<string, SubscriptionChange> {
  const state = new Map<string, SubscriptionChange>();
  for (const change of sortedByTime(changes)) {
    if (change.at.getTime() > at.getTime()) break;
    state.set(change.subscriptionId, change);
  }
  return state;
}

export function sortedByTime(changes: readonly SubscriptionChange[]): SubscriptionChange[] {
  return [...changes].sort(
    (a, b) => a.at.getTime() - b.at.getTime() || a.subscriptionId.localeCompare(b.subscriptionId),
  );
}

/** MRR per currency and per member at an instant: the sum of paying subscriptions' monthly values. */
export function mrrAt(
  changes: readonly SubscriptionChange[],
  at: Date,
): { byCurrency: Map<string, bigint>; byMember: Map<string, Map<string, bigint>> } {
  const byCurrency = new Map<string, bigint>();
  const byMember = new Map<string, Map<string, bigint>>();
  for (const change of stateAt(changes, at).values()) {
    if (!PAYING.has(change.status) || change.mrr <= 0n) continue;
    byCurrency.set(change.currency, (byCurrency.get(change.currency) ?? 0n) + change.mrr);
    const member = byMember.get(change.currency) ?? new Map<string, bigint>();
    member.set(change.memberId, (member.get(change.memberId) ?? 0n) + change.mrr);
    byMember.set(change.currency, member);
  }
  return { byCurrency, byMember };
}

export interface MrrMovements {
  start: bigint;
  end: bigint;
  new: bigint;
  reactivation: bigint;
  expansion: bigint;
  contraction: bigint;
  churned: bigint;
  customersStart: number;
  customersEnd: number;
  customersChurned: number;
  customersNew: number;
}

/**
 * How MRR moved between `from` and `to`, per currency, by comparing each customer's MRR at both
 * instants: 0→x is new (or reactivation if the customer paid before `from`), x→y>x expansion,
 * x→0<y<x contraction, x→0 churned. start + new + reactivation + expansion − contraction − churned = end.
 */
export function mrrMovements(
  changes: readonly SubscriptionChange[],
  from: Date,
  to: Date,
): Map<string, MrrMovements> {
  const start = mrrAt(changes, from).byMember;
  const end = mrrAt(changes, to).byMember;
  const paidBefore = new Set(
    changes
      .filter((c) => c.at.getTime() <= from.getTime() && PAYING.has(c.status) && c.mrr > 0n)
      .map((c) => `${c.currency}:${c.memberId}`),
  );
  return movementsFromStates(start, end, paidBefore);
}

/** MRR per currency, then per member: what `mrrAt(...).byMember` returns and the database reads. */
export type MrrByMember = ReadonlyMap<string, ReadonlyMap<string, bigint>>;

/**
 * The classification of `mrrMovements`, from each customer's MRR at both instants and the set of
 * `<currency>:<memberId>` that paid at or before the start (to tell reactivations from new customers).
 */
export function movementsFromStates(
  start: MrrByMember,
  end: MrrByMember,
  paidBefore: ReadonlySet<string>,
): Map<string, MrrMovements> {
  const out = new Map<string, MrrMovements>();
  for (const currency of new Set([...start.keys(), ...end.keys()])) {
    const s = start.get(currency) ?? new Map<string, bigint>();
    const e = end.get(currency) ?? new Map<string, bigint>();
    const m: MrrMovements = {
      start: 0n,
      end: 0n,
      new: 0n,
      reactivation: 0n,
      expansion: 0n,
      contraction: 0n,
      churned: 0n,
      customersStart: s.size,
      customersEnd: e.size,
      customersChurned: 0,
      customersNew: 0,
    };
    for (const member of new Set([...s.keys(), ...e.keys()])) {
      const before = s.get(member) ?? 0n;
      const after = e.get(member) ?? 0n;
      m.start += before;
      m.end += after;
      if (before === 0n && after > 0n) {
        if (paidBefore.has(`${currency}:${member}`)) m.reactivation += after;
        else {
          m.new += after;
          m.customersNew += 1;
        }
      } else if (before > 0n && after === 0n) {
        m.churned += before;
        m.customersChurned += 1;
      } else if (after > before) m.expansion += after - before;
      else if (after < before) m.contraction += before - after;
    }
    out.set(currency, m);
  }
  return out;
}

/**
 * Customers lost across currencies: of the members paying anything at the start, the share paying
 * nothing at the end (a member who moves from USD to EUR is not lost).
 */
export function logoChurnAcross(start: MrrByMember, end: MrrByMember): number | null {
  const payers = (byMember: MrrByMember) => {
    const set = new Set<string>();
    for (const members of byMember.values()) for (const [m, v] of members) if (v > 0n) set.add(m);
    return set;
  };
  const before = payers(start);
  const after = payers(end);
  let lost = 0;
  for (const m of before) if (!after.has(m)) lost += 1;
  return ratio(lost, before.size);
}

/** Members who became paying customers in the range in any currency (not reactivations): CAC's denominator. */
export function newCustomersAcross(movements: ReadonlyMap<string, MrrMovements>): number {
  let n = 0;
  for (const m of movements.values()) n += m.customersNew;
  return n;
}

export interface RevenueKpis {
  mrr: bigint;
  /** Paying customers at the end of the range. */
  customers: number;
  /** MRR ÷ paying customers, minor units, rounded half up; null without customers. */
  arpu: bigint | null;
  /** Customers lost ÷ customers at the start. */
  logoChurn: number | null;
  /** (churned + contraction MRR) ÷ MRR at the start: gross revenue churn. */
  revenueChurn: number | null;
  /**
   * ARPU ÷ monthly revenue churn, minor units. The range's revenue churn is scaled to a month
   * (÷ the range's length in 30-day months); null when nothing churned (LTV is unbounded).
   */
  ltv: bigint | null;
  movements: MrrMovements;
}

export function revenueKpis(
  changes: readonly SubscriptionChange[],
  from: Date,
  to: Date,
): Map<string, RevenueKpis> {
  return revenueKpisFromMovements(mrrMovements(changes, from, to), from, to);
}

/** `revenueKpis` from movements already computed (e.g. from per-customer states read from the database). */
export function revenueKpisFromMovements(
  movements: ReadonlyMap<string, MrrMovements>,
  from: Date,
  to: Date,
): Map<string, RevenueKpis> {
  const out = new Map<string, RevenueKpis>();
  const months = Math.max(1, (to.getTime() - from.getTime()) / (30 * 86_400_000));
  for (const [currency, m] of movements) {
    const arpu = m.customersEnd > 0 ? divRoundHalfUp(m.end, BigInt(m.customersEnd)) : null;
    const lost = m.churned + m.contraction;
    const revenueChurn = ratio(lost, m.start);
    // LTV = ARPU / monthly churn = ARPU × start × months / lost, in exact integers.
    const ltv =
      arpu !== null && lost > 0n && m.start > 0n
        ? divRoundHalfUp(arpu * m.start * BigInt(Math.round(months * 1000)), lost * 1000n)
        : null;
    out.set(currency, {
      mrr: m.end,
      customers: m.customersEnd,
      arpu,
      logoChurn: ratio(m.customersChurned, m.customersStart),
      revenueChurn,
      ltv,
      movements: m,
    });
  }
  return out;
}
