/**
 * The dashboard's pure parts: amounts per currency or ledger asset in words, rates as percents,
 * time series as chartable lines, chart ticks, and the cohort matrix as CSV.
 */
import type { AmountsByKey, CohortRow, Rate, TimeSeries } from '../api/types.ts';
import { shortAddress, type TokenInfo } from './gates.ts';
import { currencyDecimals, formatMoney, formatUnits } from './units.ts';

/** How analytics names an asset: `usd` (fiat), `native:31337`, `erc20:31337:0x…`. */
export interface AssetKey {
  kind: 'fiat' | 'native' | 'erc20';
  currency?: string;
  chainId?: number;
  token?: string;
}

export function parseAssetKey(key: string): AssetKey {
  const [kind, chain, token] = key.split(':');
  if (kind === 'native' && chain) return { kind: 'native', chainId: Number(chain) };
  if (kind === 'erc20' && chain && token) return { kind: 'erc20', chainId: Number(chain), token };
  return { kind: 'fiat', currency: key };
}

/** Symbol and decimals of a token, when known (the caller looks them up). */
export type TokenLookup = (chainId: number, token: string) => TokenInfo | undefined;

const NO_TOKENS: TokenLookup = () => undefined;

/** Decimals of an asset's base unit: 2 for USD, 0 for JPY, 18 for ETH, the token's own otherwise. */
export function assetDecimals(key: string, tokens: TokenLookup = NO_TOKENS): number {
  const asset = parseAssetKey(key);
  if (asset.kind === 'fiat') return currencyDecimals(asset.currency ?? '');
  if (asset.kind === 'native') return 18;
  return tokens(asset.chainId ?? 0, asset.token ?? '')?.decimals ?? 18;
}

/** "USD", "ETH", "CTR" (or the short token address when its symbol is unknown). */
export function assetLabel(key: string, tokens: TokenLookup = NO_TOKENS): string {
  const asset = parseAssetKey(key);
  if (asset.kind === 'fiat') return (asset.currency ?? '').toUpperCase();
  if (asset.kind === 'native') return 'ETH';
  return tokens(asset.chainId ?? 0, asset.token ?? '')?.symbol || shortAddress(asset.token ?? '');
}

/** "15.00 USD", "0.01 ETH", "2 CTR". */
export function formatAsset(key: string, value: string, tokens: TokenLookup = NO_TOKENS): string {
  const asset = parseAssetKey(key);
  if (asset.kind === 'fiat') return formatMoney({ value, currency: asset.currency ?? '' });
  return `${formatUnits(value, assetDecimals(key, tokens))} ${assetLabel(key, tokens)}`;
}

/** Every non-null amount in words, in key order; "—" when there is none. */
export function formatAmounts(
  amounts: Record<string, string | null> | undefined,
  tokens: TokenLookup = NO_TOKENS,
): string {
  const parts = Object.entries(amounts ?? {})
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => formatAsset(key, value, tokens));
  return parts.length > 0 ? parts.join(' · ') : '—';
}

/** 0.1234 → "12.3%"; null → "—". */
export function formatRate(rate: Rate | undefined): string {
  if (rate === null || rate === undefined) return '—';
  const percent = Math.round(rate * 1000) / 10;
  return `${percent}%`;
}

/** NPS is already −100..100: "+40", "−20", "0"; null → "—". */
export function formatNps(nps: number | null | undefined): string {
  if (nps === null || nps === undefined) return '—';
  return nps > 0 ? `+${nps}` : String(nps);
}

/** A base-unit string as a number in whole units, for drawing only (never for money maths). */
function toUnits(value: string, decimals: number): number {
  return Number(value) / 10 ** decimals;
}

export interface ChartLine {
  key: string;
  label: string;
  /** One per point of the series; null where the value is undefined (a gap). */
  values: (number | null)[];
}

export interface ChartData {
  t: string[];
  lines: ChartLine[];
}

/**
 * A time series as lines: one line for counts and rates, one per currency / asset for amounts
 * (a bucket without that key draws as 0: nothing was paid in it).
 */
export function seriesLines(
  series: TimeSeries,
  metricLabel: string,
  tokens: TokenLookup = NO_TOKENS,
): ChartData {
  const t = series.points.map((p) => p.t);
  const keys = new Set<string>();
  let scalar = false;
  for (const point of series.points) {
    if (point.value !== null && typeof point.value === 'object') {
      for (const key of Object.keys(point.value)) keys.add(key);
    } else if (point.value !== null) scalar = true;
  }
  if (keys.size === 0 || scalar) {
    return {
      t,
      lines: [
        {
          key: 'value',
          label: metricLabel,
          values: series.points.map((p) => (typeof p.value === 'number' ? p.value : null)),
        },
      ],
    };
  }
  const lines = [...keys].sort().map((key) => {
    const decimals = assetDecimals(key, tokens);
    return {
      key,
      label: `${metricLabel} (${assetLabel(key, tokens)})`,
      values: series.points.map((p) => {
        const amounts = p.value as AmountsByKey | null;
        return amounts ? toUnits(amounts[key] ?? '0', decimals) : null;
      }),
    };
  });
  return { t, lines };
}

/** Round numbers for a y axis covering [min, max]: 0, 5, 10 … (about `count` of them). */
export function niceTicks(min: number, max: number, count = 4): number[] {
  const low = Math.min(min, 0);
  const high = max > low ? max : low + 1;
  const rough = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  const ticks: number[] = [];
  const first = Math.floor(low / step) * step;
  for (let i = 0; ; i++) {
    const v = Number((first + i * step).toPrecision(12));
    ticks.push(v);
    if (v >= high) break;
  }
  return ticks;
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The cohort matrix as CSV: `cohort,size,m0,m1,…` with shares as decimals (0.5 = 50 %). */
export function cohortsCsv(rows: CohortRow[]): string {
  const months = Math.max(0, ...rows.map((r) => r.retention.length));
  const header = ['cohort', 'size', ...Array.from({ length: months }, (_, i) => `m${i}`)];
  const lines = rows.map((row) =>
    [
      row.cohort,
      String(row.size),
      ...Array.from({ length: months }, (_, i) => {
        const v = row.retention[i];
        return v === null || v === undefined ? '' : String(v);
      }),
    ]
      .map(csvField)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
