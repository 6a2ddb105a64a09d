import { describe, expect, it } from 'vitest';
import { formatMoney, formatUnits, parseUnits } from './units.ts';

describe('parseUnits', () => {
  it('converts decimals to base units exactly', () => {
    expect(parseUnits('1', 18)).toEqual({ ok: true, value: '1000000000000000000' });
    expect(parseUnits('0.5', 18)).toEqual({ ok: true, value: '500000000000000000' });
    expect(parseUnits('0.000000000000000001', 18)).toEqual({ ok: true, value: '1' });
    expect(parseUnits('123456789.123456789', 9)).toEqual({ ok: true, value: '123456789123456789' });
    expect(parseUnits('007', 0)).toEqual({ ok: true, value: '7' });
    expect(parseUnits('0', 6)).toEqual({ ok: true, value: '0' });
  });

  it('refuses what is not an exact amount', () => {
    expect(parseUnits('1.5', 0).ok).toBe(false);
    expect(parseUnits('0.0000001', 6).ok).toBe(false);
    expect(parseUnits('-1', 18).ok).toBe(false);
    expect(parseUnits('1e18', 18).ok).toBe(false);
    expect(parseUnits('', 18).ok).toBe(false);
    expect(parseUnits('1.', 18).ok).toBe(false);
  });
});

describe('formatUnits', () => {
  it('formats base units with decimals', () => {
    expect(formatUnits('500000000000000000', 18)).toBe('0.5');
    expect(formatUnits('1000000000000000000', 18)).toBe('1');
    expect(formatUnits('1000000000000000000000000', 18)).toBe('1,000,000');
    expect(formatUnits('1', 18)).toBe('0.000000000000000001');
    expect(formatUnits('0', 18)).toBe('0');
    expect(formatUnits('42', 0)).toBe('42');
  });

  it('formats money in minor units', () => {
    expect(formatMoney({ value: '1500', currency: 'usd' })).toBe('15.00 USD');
    expect(formatMoney({ value: '1505', currency: 'eur' })).toBe('15.05 EUR');
    expect(formatMoney({ value: '1500', currency: 'jpy' })).toBe('1,500 JPY');
  });
});
