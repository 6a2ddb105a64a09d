import { describe, expect, it } from 'vitest';
import { type Ballot, parseSignedChoice } from '../ballot.ts';
import { isqrt, quorumReached, quorumRequired, splitByWeights, tally, winners } from './index.ts';

const E18 = 10n ** 18n;
const single = (choice: number): Ballot => ({ kind: 'single', choice });
const approve = (...choices: number[]): Ballot => ({ kind: 'approval', choices });
const weights = (w: Record<number, number>): Ballot => ({
  kind: 'weights',
  weights: Object.entries(w).map(([c, v]) => [Number(c), BigInt(v)]),
});

describe('isqrt (rounded down)', () => {
  it.each([
    [0n, 0n],
    [1n, 1n],
    [3n, 1n],
    [4n, 2n],
    [15n, 3n],
    [16n, 4n],
    [2n * E18, 1_414_213_562n],
    [10n ** 36n, E18],
    [10n ** 36n - 1n, E18 - 1n],
    [(1n << 128n) - 1n, (1n << 64n) - 1n],
    [(1n << 256n) - 1n, (1n << 128n) - 1n],
  ])('isqrt(%s) = %s', (n, root) => {
    expect(isqrt(n)).toBe(root);
  });
});

describe('splitByWeights (largest remainder)', () => {
  it('gives leftover units to the largest remainders, ties to the earlier choice', () => {
    expect(splitByWeights(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    expect(splitByWeights(7n, [2n, 1n])).toEqual([5n, 2n]);
    expect(splitByWeights(100n, [1n, 2n])).toEqual([33n, 67n]);
    expect(splitByWeights(0n, [1n, 5n])).toEqual([0n, 0n]);
  });
  it('always sums to the amount', () => {
    const amount = 123_456_789_012_345_678_901n;
    const parts = splitByWeights(amount, [7n, 13n, 1n, 999n]);
    expect(parts.reduce((s, p) => s + p, 0n)).toBe(amount);
  });
});

describe('tally', () => {
  it('single-choice: power to the chosen choice', () => {
    const t = tally('single-choice', 3, [
      { ballot: single(1), power: 100n },
      { ballot: single(2), power: 50n },
      { ballot: single(1), power: 25n },
    ]);
    expect(t).toEqual({ unit: 'power', scores: [125n, 50n, 0n], totalPower: 175n, votes: 3 });
  });

  it('approval: full power to each approved choice', () => {
    const t = tally('approval', 3, [
      { ballot: approve(1, 2), power: 100n },
      { ballot: approve(2, 3), power: 40n },
    ]);
    expect(t).toEqual({ unit: 'power', scores: [100n, 140n, 40n], totalPower: 140n, votes: 2 });
  });

  it('weighted: power split by the weights, parts summing to each power', () => {
    const t = tally('weighted', 3, [
      { ballot: weights({ 1: 1, 2: 1, 3: 1 }), power: 10n }, // 4, 3, 3
      { ballot: weights({ 1: 2, 2: 1 }), power: 7n }, // 5, 2
      { ballot: weights({ 2: 1, 3: 2 }), power: 100n }, // 0, 33, 67
    ]);
    expect(t).toEqual({ unit: 'power', scores: [9n, 38n, 70n], totalPower: 117n, votes: 3 });
  });

  it('quadratic: ⌊√power⌋ split by the weights, with 18-decimal balances', () => {
    const t = tally('quadratic', 3, [
      // √(100e18) = 1e10, all to choice 1
      { ballot: weights({ 1: 1 }), power: 100n * E18 },
      // ⌊√(2e18)⌋ = 1 414 213 562, half each to choices 1 and 2
      { ballot: weights({ 1: 1, 2: 1 }), power: 2n * E18 },
      // √(9e36) = 3e18, 3:1 to choices 2 and 3
      { ballot: weights({ 2: 3, 3: 1 }), power: 9n * 10n ** 36n },
    ]);
    expect(t).toEqual({
      unit: 'sqrt-power',
      scores: [10_707_106_781n, 2_250_000_000_707_106_781n, 750_000_000_000_000_000n],
      totalPower: 100n * E18 + 2n * E18 + 9n * 10n ** 36n,
      votes: 3,
    });
  });

  it('quadratic: 1 vs 9 tokens score 1 : 3, not 1 : 9', () => {
    const t = tally('quadratic', 2, [
      { ballot: weights({ 1: 1 }), power: 1n * E18 },
      { ballot: weights({ 2: 1 }), power: 9n * E18 },
    ]);
    expect(t.scores).toEqual([1_000_000_000n, 3_000_000_000n]);
  });

  it('no votes: zeros', () => {
    expect(tally('approval', 2, [])).toEqual({ unit: 'power', scores: [0n, 0n], totalPower: 0n, votes: 0 });
  });
});

describe('quorum and winners', () => {
  it('absolute quorum', () => {
    const required = quorumRequired({ kind: 'absolute', value: '100' }, undefined);
    expect(quorumReached(99n, required)).toBe(false);
    expect(quorumReached(100n, required)).toBe(true);
  });
  it('percent of supply rounds up', () => {
    expect(quorumRequired({ kind: 'percent-of-supply', bps: 5_000 }, 1_000_001n)).toBe(500_001n);
    expect(quorumRequired({ kind: 'percent-of-supply', bps: 1 }, 1_000_000n * E18)).toBe(100n * E18);
  });
  it('winners are the top scores; none without votes', () => {
    expect(winners([5n, 5n, 1n])).toEqual([1, 2]);
    expect(winners([0n, 0n])).toEqual([]);
  });
});

describe('signed choices', () => {
  it('accepts each type and refuses what is out of range', () => {
    expect(parseSignedChoice('single-choice', 3, '2')).toEqual(single(2));
    expect(parseSignedChoice('approval', 3, '[3,1]')).toEqual(approve(1, 3));
    expect(parseSignedChoice('weighted', 3, '{"3":1,"1":2,"2":0}')).toEqual(weights({ 1: 2, 3: 1 }));
    for (const [type, text] of [
      ['single-choice', '4'],
      ['single-choice', '0'],
      ['single-choice', '1.5'],
      ['approval', '[]'],
      ['approval', '[1,1]'],
      ['weighted', '{"1":0}'],
      ['quadratic', '{"9":1}'],
      ['quadratic', '{"1":-1}'],
      ['weighted', 'not json'],
    ] as const) {
      expect(() => parseSignedChoice(type, 3, text), `${type} ${text}`).toThrow(
        expect.objectContaining({ code: 'choice_invalid' }),
      );
    }
  });
});
