/** A point of a time series: a number, null, or an amount per currency/asset. */
export type PointValue = number | null | Readonly<Record<string, string>>;

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * RFC 4180 CSV of a series: `t,value` for numbers; `t,<key>…` (keys sorted) for per-currency
 * amounts, empty where a bucket has none. Lines end with CRLF.
 */
export function seriesToCsv(points: readonly { t: string; value: PointValue }[]): string {
  const keys = new Set<string>();
  let maps = false;
  for (const p of points) {
    if (p.value !== null && typeof p.value === 'object') {
      maps = true;
      for (const k of Object.keys(p.value)) keys.add(k);
    }
  }
  const columns = maps ? [...keys].sort() : ['value'];
  const lines = [['t', ...columns].map(cell).join(',')];
  for (const p of points) {
    const values =
      p.value !== null && typeof p.value === 'object'
        ? columns.map((k) => (p.value as Record<string, string>)[k] ?? '')
        : [p.value === null ? '' : String(p.value)];
    lines.push([p.t, ...values].map(cell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
