import { describe, expect, it } from 'vitest';
import {
  activeMembers,
  conversion,
  customerAcquisitionCost,
  monthlyValue,
  mrrAt,
  netPromoterScore,
  retentionCohorts,
  revenueKpis,
  type SubscriptionChange,
} from './index.ts';

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);
const change = (
  subscriptionId: string,
  memberId: string,
  day: string,
  status: string,
  mrr: bigint,
  currency = 'usd',
): SubscriptionChange => ({ subscriptionId, memberId, at: at(day), status, mrr, currency });

/**
 * November 2026, hand-computed. USD: a upgrades 1000→2500, b downgrades 2000→1500 (then past_due,
 * still paying), c's yearly plan (12000/yr = 1000/mo) churns, d starts a yearly 10000 (833/mo),
 * e (paid in September, cancelled 1 Oct) reactivates at 700. EUR: f stays at 900, g starts at 1100.
 */
const month: SubscriptionChange[] = [
  change('sub_c', 'c', '2026-09-01', 'active', monthlyValue(12_000n, 'year')),
  change('sub_e1', 'e', '2026-09-10', 'active', 500n),
  change('sub_e1', 'e', '2026-10-01', 'canceled', 0n),
  change('sub_a', 'a', '2026-10-01', 'active', 1000n),
  change('sub_b', 'b', '2026-10-05', 'active', 2000n),
  change('sub_f', 'f', '2026-10-01', 'active', 900n, 'eur'),
  change('sub_d', 'd', '2026-11-03', 'active', monthlyValue(10_000n, 'year')),
  change('sub_a', 'a', '2026-11-10', 'active', 2500n),
  change('sub_b', 'b', '2026-11-12', 'active', 1500n),
  change('sub_e2', 'e', '2026-11-15', 'active', 700n),
  change('sub_c', 'c', '2026-11-20', 'canceled', 0n),
  change('sub_g', 'g', '2026-11-25', 'active', 1100n, 'eur'),
  change('sub_b', 'b', '2026-11-28', 'past_due', 1500n),
];
const from = new Date('2026-11-01T00:00:00Z');
const to = new Date('2026-12-01T00:00:00Z');

describe('monthly normalisation', () => {
  it('divides yearly plans by 12 per subscription, rounding half up to the minor unit', () => {
    expect(monthlyValue(12_000n, 'year')).toBe(1000n);
    expect(monthlyValue(10_000n, 'year')).toBe(833n); // 833.33
    expect(monthlyValue(10_002n, 'year')).toBe(834n); // 833.5 rounds up
    expect(monthlyValue(3000n, 'month', 3)).toBe(1000n);
  });
});

describe('revenue KPIs over a month', () => {
  const kpis = revenueKpis(month, from, to);

  it('never mixes currencies', () => {
    expect([...kpis.keys()].sort()).toEqual(['eur', 'usd']);
  });

  it('computes MRR movements that add up', () => {
    const usd = kpis.get('usd')!;
    expect(usd.movements).toMatchObject({
      start: 4000n,
      end: 5533n,
      new: 833n,
      reactivation: 700n,
      expansion: 1500n,
      contraction: 500n,
      churned: 1000n,
      customersStart: 3,
      customersEnd: 4,
      customersChurned: 1,
      customersNew: 1,
    });
    const m = usd.movements;
    expect(m.start + m.new + m.reactivation + m.expansion - m.contraction - m.churned).toBe(m.end);
  });

  it('computes MRR, ARPU, churn and LTV', () => {
    expect(kpis.get('usd')).toMatchObject({
      mrr: 5533n,
      customers: 4,
      arpu: 1383n, // 5533 / 4 = 1383.25
      logoChurn: 0.3333, // 1 of 3
      revenueChurn: 0.375, // (1000 + 500) / 4000
      ltv: 3688n, // 1383 / 0.375
    });
    expect(kpis.get('eur')).toMatchObject({
      mrr: 2000n,
      customers: 2,
      arpu: 1000n,
      logoChurn: 0,
      revenueChurn: 0,
      ltv: null, // nothing churned: unbounded
    });
  });

  it('counts past_due as paying during its grace period', () => {
    expect(mrrAt(month, at('2026-11-29')).byCurrency.get('usd')).toBe(5533n);
  });
});

describe('retention cohorts', () => {
  it('groups customers by the month of their first payment', () => {
    expect(retentionCohorts(month, new Date('2026-11-30T23:59:59Z'))).toEqual([
      { cohort: '2026-09', size: 2, retention: [1, 0.5, 0.5] }, // c and e; e lapsed in Oct, came back in Nov; c churned
      { cohort: '2026-10', size: 3, retention: [1, 1] },
      { cohort: '2026-11', size: 2, retention: [1] },
    ]);
  });
});

describe('engagement', () => {
  it('counts DAU, WAU, MAU and stickiness as of the last day', () => {
    const activity = new Map<string, Set<string>>([
      ['2026-11-30', new Set(['a', 'b'])],
      ['2026-11-28', new Set(['a', 'c'])],
      ['2026-11-10', new Set(['d'])],
      ['2026-10-01', new Set(['e'])], // outside the 30 days
    ]);
    expect(activeMembers(activity, at('2026-11-30'))).toEqual({
      dau: 2,
      wau: 3,
      mau: 4,
      stickiness: 0.0417, // (2 + 2 + 1) / 30 days / 4 members
    });
  });

  it('computes NPS as promoters minus detractors', () => {
    expect(netPromoterScore([10, 9, 8, 7, 6, 0, 10])).toBe(14); // (3 − 2) / 7
    expect(netPromoterScore([])).toBeNull();
  });

  it('computes conversion and CAC', () => {
    expect(conversion(new Set(['a', 'b', 'c', 'd']), new Set(['b', 'd', 'z']))).toBe(0.5);
    expect(customerAcquisitionCost(10_000n, 3)).toBe(3333n);
    expect(customerAcquisitionCost(10_000n, 0)).toBeNull();
  });
});
