import { useState } from 'react';
import { useParams } from 'wouter';
import { useApi } from '../api/hooks.tsx';
import type { AnalyticsSummary, TimeSeries } from '../api/types.ts';
import { CommunityHeader } from '../components/community-nav.tsx';
import { LoadError, Loading } from '../components/ui.tsx';

const METRICS = ['mrr', 'members', 'dau', 'mau', 'churn', 'tips', 'nps', 'conversion'];

/** Leaves of the summary as "label: value" tiles (the summary's shape grows as analytics lands). */
function tiles(value: unknown, path: string[] = []): { label: string; value: string }[] {
  if (value === null || value === undefined) return [{ label: path.join(' '), value: '—' }];
  if (typeof value !== 'object') return [{ label: path.join(' '), value: String(value) }];
  if ('value' in value && 'currency' in value) {
    const money = value as { value: string; currency: string };
    return [{ label: path.join(' '), value: `${money.value} ${money.currency}` }];
  }
  return Object.entries(value).flatMap(([k, v]) => tiles(v, [...path, k]));
}

function LineChart({ points, label }: { points: { t: string; value: number }[]; label: string }) {
  const width = 640;
  const height = 220;
  const pad = 32;
  if (points.length === 0) return <p className="muted">No data for this period yet.</p>;
  const values = points.map((p) => p.value);
  const max = Math.max(...values, 0);
  const min = Math.min(...values, 0);
  const span = max - min || 1;
  const x = (i: number) => pad + (i * (width - 2 * pad)) / Math.max(points.length - 1, 1);
  const y = (v: number) => height - pad - ((v - min) * (height - 2 * pad)) / span;
  const d = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`)
    .join(' ');
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`${label}: ${points.length} points, latest ${last?.value}`}
      >
        <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} className="axis" />
        <line x1={pad} y1={pad} x2={pad} y2={height - pad} className="axis" />
        <text x={4} y={pad} className="tick">
          {max}
        </text>
        <text x={4} y={height - pad} className="tick">
          {min}
        </text>
        <path d={d} className="line" fill="none" />
        {points.map((p, i) => (
          <circle key={p.t} cx={x(i)} cy={y(p.value)} r={3} className="dot">
            <title>
              {p.t}: {p.value}
            </title>
          </circle>
        ))}
        <text x={pad} y={height - 8} className="tick">
          {first?.t.slice(0, 10)}
        </text>
        <text x={width - pad} y={height - 8} className="tick" textAnchor="end">
          {last?.t.slice(0, 10)}
        </text>
      </svg>
    </figure>
  );
}

type CohortRow = { cohort: string; size?: number; retention: (number | string | null)[] };

function cohortRows(data: unknown): CohortRow[] {
  if (!data || typeof data !== 'object') return [];
  const candidate =
    (data as Record<string, unknown>).cohorts ??
    (data as Record<string, unknown>).rows ??
    (data as Record<string, unknown>).items;
  return Array.isArray(candidate)
    ? (candidate as CohortRow[]).filter((r) => r && Array.isArray(r.retention))
    : [];
}

function Heatmap({ rows }: { rows: CohortRow[] }) {
  if (rows.length === 0) return <p className="muted">No cohorts yet.</p>;
  const months = Math.max(...rows.map((r) => r.retention.length));
  const monthLabels = Array.from({ length: months }, (_, i) => `M${i}`);
  return (
    <div className="table-wrap">
      <table className="heatmap">
        <caption className="visually-hidden">
          Share of each monthly cohort still active N months later
        </caption>
        <thead>
          <tr>
            <th scope="col">Cohort</th>
            <th scope="col">Size</th>
            {monthLabels.map((label) => (
              <th key={label} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.cohort}>
              <th scope="row">{row.cohort}</th>
              <td>{row.size ?? ''}</td>
              {monthLabels.map((label, i) => {
                const raw = row.retention[i];
                const v = raw === null || raw === undefined ? undefined : Number(raw);
                const share = v === undefined ? undefined : v > 1 ? v / 100 : v;
                return (
                  <td
                    key={label}
                    style={
                      share === undefined
                        ? undefined
                        : {
                            background: `rgba(79, 70, 229, ${0.1 + share * 0.85})`,
                            color: share > 0.5 ? '#fff' : undefined,
                          }
                    }
                  >
                    {share === undefined ? '' : `${Math.round(share * 100)}%`}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DashboardPage() {
  const { slug = '' } = useParams<{ slug: string }>();
  const base = `/v1/communities/${encodeURIComponent(slug)}/analytics`;
  const [metric, setMetric] = useState('mrr');
  const [interval, setBucket] = useState<'day' | 'week' | 'month'>('day');
  const from = new Date(Date.now() - 90 * 86_400_000).toISOString();
  const to = new Date().toISOString().slice(0, 13);
  const summary = useApi<AnalyticsSummary>(`${base}/summary`);
  const series = useApi<TimeSeries>(
    `${base}/timeseries?metric=${metric}&interval=${interval}&from=${from.slice(0, 10)}&to=${to.slice(0, 10)}`,
  );
  const cohorts = useApi<unknown>(`${base}/cohorts`);
  const points = (series.data?.points ?? []).map((p) => ({ t: p.t, value: Number(p.value) }));
  return (
    <section aria-labelledby="dash-title">
      <CommunityHeader slug={slug} />
      <div className="page-title">
        <h1 id="dash-title">Dashboard</h1>
        <a className="button secondary" href={`${base}/export.csv?metric=${metric}`} download>
          Export {metric} as CSV
        </a>
      </div>
      <LoadError error={summary.error} what="The business dashboard" />
      {summary.loading && !summary.data ? <Loading /> : null}
      {summary.data ? (
        <dl className="tiles">
          {tiles(summary.data).map((t) => (
            <div key={t.label} className="tile">
              <dt>{t.label}</dt>
              <dd>{t.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <h2>Over time</h2>
      <div className="row">
        <div>
          <label htmlFor="metric">Metric</label>
          <select id="metric" value={metric} onChange={(e) => setMetric(e.target.value)}>
            {METRICS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="bucket">Interval</label>
          <select
            id="bucket"
            value={interval}
            onChange={(e) => setBucket(e.target.value as 'day' | 'week' | 'month')}
          >
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </div>
      </div>
      <LoadError error={series.error} what="Time series" />
      {series.data ? <LineChart points={points} label={metric} /> : null}
      <h2>Retention by cohort</h2>
      <LoadError error={cohorts.error} what="Cohorts" />
      {cohorts.data ? <Heatmap rows={cohortRows(cohorts.data)} /> : null}
    </section>
  );
}
