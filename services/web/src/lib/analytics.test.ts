import { describe, expect, it } from 'vitest';
import {
  assetLabel,
  cohortsCsv,
  formatAmounts,
  formatNps,
  formatRate,
  niceTicks,
  parseAssetKey,
  seriesLines,
} from './analytics.ts';

const CTR = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const tokens = (chainId: number, token: string) =>
  chainId === 31337 && token === CTR ? { symbol: 'CTR', decimals: 18 } : undefined;

describe('dashboard maths', () => {
  it('names and formats amounts per currency or ledger asset, never mixing them', () => {
    expect(parseAssetKey(`erc20:31337:${CTR}`)).toEqual({ kind: 'erc20', chainId: 31337, token: CTR });
    expect(assetLabel('native:31337')).toBe('ETH');
    expect(assetLabel(`erc20:31337:${CTR}`, tokens)).toBe('CTR');
    expect(assetLabel('erc20:1:0x1111111111111111111111111111111111111111')).toBe('0x1111…1111');
    expect(
      formatAmounts(
        {
          usd: '500',
          jpy: '300',
          'native:31337': '10000000000000000',
          [`erc20:31337:${CTR}`]: '2000000000000000000',
        },
        tokens,
      ),
    ).toBe('2 CTR · 300 JPY · 0.01 ETH · 5.00 USD');
    expect(formatAmounts({ usd: null })).toBe('—');
    expect(formatAmounts({})).toBe('—');
  });

  it('shows rates as percents and NPS with its sign', () => {
    expect(formatRate(0.1234)).toBe('12.3%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(null)).toBe('—');
    expect(formatNps(100)).toBe('+100');
    expect(formatNps(-20)).toBe('-20');
    expect(formatNps(0)).toBe('0');
    expect(formatNps(null)).toBe('—');
  });

  it('turns counts into one line and amounts into one line per asset, in whole units', () => {
    expect(
      seriesLines(
        {
          points: [
            { t: 'a', value: 3 },
            { t: 'b', value: null },
            { t: 'c', value: 1.5 },
          ],
        },
        'Active members',
      ),
    ).toEqual({
      t: ['a', 'b', 'c'],
      lines: [{ key: 'value', label: 'Active members', values: [3, null, 1.5] }],
    });
    const tips = seriesLines(
      {
        points: [
          { t: 'a', value: {} },
          { t: 'b', value: { usd: '500', 'native:31337': '10000000000000000' } },
        ],
      },
      'Tips',
    );
    expect(tips.lines).toEqual([
      { key: 'native:31337', label: 'Tips (ETH)', values: [0, 0.01] },
      { key: 'usd', label: 'Tips (USD)', values: [0, 5] },
    ]);
  });

  it('picks round ticks that cover the values', () => {
    expect(niceTicks(0, 5)).toEqual([0, 2, 4, 6]);
    expect(niceTicks(0, 100)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(0, 0.01)).toEqual([0, 0.0025, 0.005, 0.0075, 0.01]);
    expect(niceTicks(0, 0)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(-20, 40)).toEqual([-20, 0, 20, 40]);
  });

  it('writes the cohort matrix as RFC 4180 CSV', () => {
    expect(
      cohortsCsv([
        { cohort: '2026-09', size: 4, retention: [1, 0.75, 0.5] },
        { cohort: '2026-10', size: 2, retention: [1, null] },
      ]),
    ).toBe('cohort,size,m0,m1,m2\r\n2026-09,4,1,0.75,0.5\r\n2026-10,2,1,,\r\n');
  });
});
