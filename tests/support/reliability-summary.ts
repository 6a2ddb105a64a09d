import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ARTIFACTS_DIR, markdownTable } from './artifacts.ts';

/**
 * The end-of-run reliability summary (issue #11): every reliability test records what it tried
 * and what survived; the global teardown prints one table. Test files run in separate workers,
 * so records go through an append-only JSON-lines file that the global setup empties first.
 */
export type ReliabilityCategory = 'fault' | 'input' | 'isolation' | 'secrets' | 'reconciliation';

export interface ReliabilityRecord {
  category: ReliabilityCategory;
  /** What was done, e.g. "tipping kill -9 mid-stream of webhooks, restarted". */
  check: string;
  /** Items, inputs or cells tried. */
  tried: number;
  /** Of those, how many behaved as required (faults survived, inputs answered without 5xx…). */
  passed: number;
  /** Accepted items with no effect, or with more than one. Must be 0. */
  lost: number;
}

export const RELIABILITY_SUMMARY_FILE = join(ARTIFACTS_DIR, 'reliability', 'summary.jsonl');

export function recordReliability(record: ReliabilityRecord): void {
  mkdirSync(dirname(RELIABILITY_SUMMARY_FILE), { recursive: true });
  appendFileSync(RELIABILITY_SUMMARY_FILE, `${JSON.stringify(record)}\n`);
}

export function resetReliabilitySummary(): void {
  rmSync(RELIABILITY_SUMMARY_FILE, { force: true });
}

export function readReliabilitySummary(): ReliabilityRecord[] {
  if (!existsSync(RELIABILITY_SUMMARY_FILE)) return [];
  return readFileSync(RELIABILITY_SUMMARY_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ReliabilityRecord);
}

/** The table printed at the end of `npm test`: one row per check, then the totals per category. */
export function renderReliabilitySummary(records: readonly ReliabilityRecord[]): string {
  if (records.length === 0) return '';
  const order: ReliabilityCategory[] = ['fault', 'reconciliation', 'input', 'isolation', 'secrets'];
  const sorted = [...records].sort(
    (a, b) => order.indexOf(a.category) - order.indexOf(b.category) || a.check.localeCompare(b.check),
  );
  const rows = sorted.map((r) => [r.category, r.check, String(r.tried), String(r.passed), String(r.lost)]);
  const total = (category: ReliabilityCategory, pick: (r: ReliabilityRecord) => number) =>
    records.filter((r) => r.category === category).reduce((sum, r) => sum + pick(r), 0);
  const faults = records.filter((r) => r.category === 'fault');
  const totals = [
    [
      'faults survived',
      `${faults.filter((r) => r.passed === r.tried && r.lost === 0).length} of ${faults.length}`,
    ],
    ['inputs tried (no 5xx)', `${total('input', (r) => r.passed)} of ${total('input', (r) => r.tried)}`],
    [
      'isolation cells checked',
      `${total('isolation', (r) => r.passed)} of ${total('isolation', (r) => r.tried)}`,
    ],
    ['items lost', String(records.reduce((sum, r) => sum + r.lost, 0))],
  ];
  return [
    'Reliability summary (issue #11)',
    markdownTable(['category', 'check', 'tried', 'passed', 'lost'], rows),
    '',
    markdownTable(['total', 'value'], totals),
  ].join('\n');
}
