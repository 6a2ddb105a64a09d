/** Integer division rounding half away from zero (amounts here are never negative). */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/**
 * A plan's monthly value in minor units. Yearly plans are divided by 12 (and multi-period plans
 * by their period count) per subscription, rounded half up to the minor unit: MRR is the sum of
 * these values, so a yearly $100.00 plan contributes 833 cents.
 */
export function monthlyValue(
  amount: bigint,
  interval: 'day' | 'week' | 'month' | 'year',
  intervalCount = 1,
): bigint {
  const count = BigInt(intervalCount);
  switch (interval) {
    case 'month':
      return divRoundHalfUp(amount, count);
    case 'year':
      return divRoundHalfUp(amount, 12n * count);
    case 'week':
      // 52 weeks / 12 months.
      return divRoundHalfUp(amount * 52n, 12n * count);
    case 'day':
      return divRoundHalfUp(amount * 365n, 12n * count);
  }
}

/** A ratio as a number with 4 decimals (for rates, not money); null when undefined (0/0). */
export function ratio(numerator: bigint | number, denominator: bigint | number): number | null {
  const d = Number(denominator);
  if (d === 0) return null;
  return Math.round((Number(numerator) / d) * 10_000) / 10_000;
}
