import { describe, expect, it } from 'vitest';
import { checkFiatAmount, currencyDecimals, platformFee } from './fiat-amounts.ts';

describe('platformFee', () => {
  it('rounds down in integer minor units', () => {
    expect(platformFee(1_000n, 500)).toBe(50n);
    expect(platformFee(999n, 500)).toBe(49n); // 49.95 → 49
    expect(platformFee(1n, 9_999)).toBe(0n);
    expect(platformFee(12_345_678_901n, 250)).toBe(308_641_972n);
  });
  it('works the same for zero-decimal currencies (¥)', () => {
    expect(currencyDecimals('jpy')).toBe(0);
    expect(currencyDecimals('usd')).toBe(2);
    expect(platformFee(333n, 1_000)).toBe(33n);
  });
  it('refuses a fee outside 0..10000 bps', () => {
    expect(() => platformFee(100n, 10_001)).toThrow();
    expect(() => platformFee(100n, 1.5)).toThrow();
  });
});

describe('checkFiatAmount', () => {
  const limits = { usd: { min: 100n, max: 50_000n }, jpy: { min: 100n, max: 100_000n } };
  it('accepts amounts inside the limits', () => {
    expect(checkFiatAmount(100n, 'usd', limits)).toBeUndefined();
    expect(checkFiatAmount(100_000n, 'jpy', limits)).toBeUndefined();
  });
  it('names the broken limit', () => {
    expect(checkFiatAmount(99n, 'usd', limits)).toEqual({ code: 'amount_below_minimum', min: 100n });
    expect(checkFiatAmount(50_001n, 'usd', limits)).toEqual({ code: 'amount_above_maximum', max: 50_000n });
    expect(checkFiatAmount(500n, 'eur', limits)).toEqual({ code: 'currency_not_supported' });
  });
});
