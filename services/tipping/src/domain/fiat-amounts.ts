/**
 * Stripe's zero-decimal currencies: their "minor unit" is the unit itself (`"500"` JPY is ¥500).
 * Amounts are minor units everywhere, so these need no conversion, only their own limits.
 */
export const ZERO_DECIMAL_CURRENCIES = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

export function currencyDecimals(currency: string): number {
  return ZERO_DECIMAL_CURRENCIES.has(currency.toLowerCase()) ? 0 : 2;
}

/**
 * The platform fee in minor units: `floor(amount × bps / 10 000)` in integer arithmetic, so the
 * rounding always favours the recipient by less than one minor unit (for JPY, less than ¥1).
 */
export function platformFee(amount: bigint, feeBps: number): bigint {
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000) throw new Error(`bad fee bps ${feeBps}`);
  return (amount * BigInt(feeBps)) / 10_000n;
}

export interface FiatLimit {
  min: bigint;
  max: bigint;
}

export type FiatAmountProblem =
  | { code: 'currency_not_supported' }
  | { code: 'amount_below_minimum'; min: bigint }
  | { code: 'amount_above_maximum'; max: bigint };

/** Checks a tip amount against the configured per-currency limits (minor units). */
export function checkFiatAmount(
  amount: bigint,
  currency: string,
  limits: Readonly<Record<string, FiatLimit>>,
): FiatAmountProblem | undefined {
  const limit = limits[currency];
  if (!limit) return { code: 'currency_not_supported' };
  if (amount < limit.min) return { code: 'amount_below_minimum', min: limit.min };
  if (amount > limit.max) return { code: 'amount_above_maximum', max: limit.max };
  return undefined;
}
