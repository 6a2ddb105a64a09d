export interface BenchRow {
  figure: string;
  value: string;
  target: string;
  verdict: 'pass' | 'fail' | 'info';
}

/** figure | value | target | verdict, as a Markdown table (readable in a terminal and in a PR). */
export function renderTable(rows: BenchRow[]): string {
  const header: BenchRow = { figure: 'figure', value: 'value', target: 'target', verdict: 'info' };
  const cells = [header, ...rows].map((r) => [
    r.figure,
    r.value,
    r.target,
    r === header ? 'verdict' : r.verdict,
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(cells[0] ?? []),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ].join('\n');
}
