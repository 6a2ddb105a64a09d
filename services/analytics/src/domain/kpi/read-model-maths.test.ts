import { describe, expect, it } from 'vitest';
import {
  activeFromCounts,
  buckets,
  logoChurnAcross,
  movementsFromStates,
  mrrAt,
  mrrMovements,
  newCustomersAcross,
  type SubscriptionChange,
  seriesToCsv,
  spendInRange,
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

// a leaves USD for EUR (not a lost customer), b churns, c is new, d comes back.
const changes = [
  change('s_a', 'a', '2026-10-01', 'active', 1000n),
  change('s_b', 'b', '2026-10-01', 'active', 2000n),
  change('s_d', 'd', '2026-09-01', 'active', 300n),
  change('s_d', 'd', '2026-09-20', 'canceled', 300n),
  change('s_a', 'a', '2026-11-05', 'canceled', 1000n),
  change('s_a2', 'a', '2026-11-05', 'active', 900n, 'eur'),
  change('s_b', 'b', '2026-11-09', 'unpaid', 2000n),
  change('s_c', 'c', '2026-11-11', 'active', 400n),
  change('s_d2', 'd', '2026-11-12', 'active', 300n),
];
const from = new Date('2026-11-01T00:00:00Z');
const to = new Date('2026-12-01T00:00:00Z');

describe('figures from per-customer states (what the database reads)', () => {
  const start = mrrAt(changes, from).byMember;
  const end = mrrAt(changes, to).byMember;

  it('classifies movements exactly like the full history does', () => {
    const paidBefore = new Set(['usd:a', 'usd:b', 'usd:d']);
    expect(movementsFromStates(start, end, paidBefore)).toEqual(mrrMovements(changes, from, to));
    expect(newCustomersAcross(mrrMovements(changes, from, to))).toBe(2); // a in EUR, c in USD
  });

  it('counts logo churn across currencies', () => {
    expect(logoChurnAcross(start, end)).toBe(0.5); // of a, b only b pays nothing at the end
    expect(logoChurnAcross(new Map(), end)).toBeNull();
  });

  it('computes active figures from counts', () => {
    expect(activeFromCounts({ dau: 2, wau: 3, mau: 4, memberDays: 5 })).toEqual({
      dau: 2,
      wau: 3,
      mau: 4,
      stickiness: 0.0417,
    });
  });
});

describe('spend in a range', () => {
  it('prorates each month by the share of it the range covers, per currency', () => {
    const spend = [
      { month: '2026-11', currency: 'usd', amount: 30_000n },
      { month: '2026-12', currency: 'usd', amount: 31_000n },
      { month: '2026-11', currency: 'eur', amount: 1_000n },
    ];
    expect(spendInRange(spend, from, to)).toEqual(
      new Map([
        ['usd', 30_000n],
        ['eur', 1_000n],
      ]),
    );
    // 16–30 Nov (15 of 30 days) + 1–10 Dec (10 of 31 days): 15000 + 10000.
    expect(spendInRange(spend, new Date('2026-11-16T00:00:00Z'), new Date('2026-12-11T00:00:00Z'))).toEqual(
      new Map([
        ['usd', 25_000n],
        ['eur', 500n],
      ]),
    );
  });
});

describe('time series buckets and CSV', () => {
  it('cuts a range into UTC days, ISO weeks and months, clipped at both ends', () => {
    const weeks = buckets(new Date('2026-11-04T00:00:00Z'), new Date('2026-11-20T00:00:00Z'), 'week');
    expect(weeks.map((b) => [b.start.toISOString().slice(0, 10), b.firstDay, b.lastDay])).toEqual([
      ['2026-11-02', '2026-11-04', '2026-11-08'],
      ['2026-11-09', '2026-11-09', '2026-11-15'],
      ['2026-11-16', '2026-11-16', '2026-11-19'],
    ]);
    expect(buckets(from, to, 'day')).toHaveLength(30);
    expect(buckets(new Date('2025-12-01T00:00:00Z'), to, 'month')).toHaveLength(12);
  });

  it('writes numbers and per-currency amounts as CSV', () => {
    expect(
      seriesToCsv([
        { t: 'x', value: 1 },
        { t: 'y', value: null },
      ]),
    ).toBe('t,value\r\nx,1\r\ny,\r\n');
    expect(
      seriesToCsv([
        { t: 'x', value: { usd: '5' } },
        { t: 'y', value: { eur: '7' } },
      ]),
    ).toBe('t,eur,usd\r\nx,,5\r\ny,7,\r\n');
  });
});
