/**
 * Exact decimal ↔ base-unit conversion on strings and bigints: token amounts never pass
 * through a float (0.1 + 0.2 is not a price).
 */

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

export type ParseAmountResult = { ok: true; value: string } | { ok: false; error: string };

/** "1.5" with 18 decimals → "1500000000000000000". Refuses more fractional digits than `decimals`. */
export function parseUnits(input: string, decimals: number): ParseAmountResult {
  const text = input.trim().replace(/_/g, '');
  if (text === '') return { ok: false, error: 'Enter an amount.' };
  const match = DECIMAL.exec(text);
  if (!match) return { ok: false, error: 'Use digits and at most one decimal point, e.g. 1.5' };
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) {
    return {
      ok: false,
      error:
        decimals === 0
          ? 'This token has no decimals: use a whole number.'
          : `At most ${decimals} digits after the decimal point.`,
    };
  }
  const digits = (whole + fraction.padEnd(decimals, '0')).replace(/^0+(?=\d)/, '');
  return { ok: true, value: BigInt(digits).toString() };
}

/** "1500000000000000000" with 18 decimals → "1.5"; trailing zeros trimmed, never scientific notation. */
export function formatUnits(value: string | bigint, decimals: number): string {
  let amount = typeof value === 'bigint' ? value : BigInt(value);
  const negative = amount < 0n;
  if (negative) amount = -amount;
  const text = amount.toString().padStart(decimals + 1, '0');
  const whole = decimals === 0 ? text : text.slice(0, -decimals);
  const fraction = decimals === 0 ? '' : text.slice(-decimals).replace(/0+$/, '');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** ISO 4217 currencies without minor units (Stripe's list of zero-decimal currencies, the common ones). */
const ZERO_DECIMAL = new Set([
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
  return ZERO_DECIMAL.has(currency.toLowerCase()) ? 0 : 2;
}

/** Minor units → "$15.00"-style text with the currency code: "15.00 USD". */
export function formatMoney(money: { value: string; currency: string }): string {
  const decimals = currencyDecimals(money.currency);
  const text = formatUnits(money.value, decimals);
  const [whole = '0', fraction = ''] = text.split('.');
  const padded = decimals === 0 ? whole : `${whole}.${fraction.padEnd(decimals, '0')}`;
  return `${padded} ${money.currency.toUpperCase()}`;
}
