import { type ReactNode, useMemo, useState } from 'react';
import { useParams } from 'wouter';
import { useApi } from '../api/hooks.tsx';
import type { AnalyticsSummary, CohortRow, Cohorts, SeriesMetric, TimeSeries } from '../api/types.ts';
import { CommunityHeader } from '../components/community-nav.tsx';
import { LoadError, Loading } from '../components/ui.tsx';
import { knownTokenInfo } from '../holdings.tsx';
import {
  type ChartLine,
  cohortsCsv,
  formatAmounts,
  formatNps,
  formatRate,
  niceTicks,
  seriesLines,
} from '../lib/analytics.ts';

const METRICS: { value: SeriesMetric; label: string }[] = [
  { value: 'mrr', label: 'MRR' },
  { value: 'active', label: 'Active members' },
  { value: 'dau', label: 'Daily active (average)' },
  { value: 'mau', label: 'Monthly active (30 days)' },
  { value: 'signups', label: 'New members' },
  { value: 'tips', label: 'Tip volume' },
  { value: 'nps', label: 'NPS' },
];

const RANGES = [
  { days: 30, label: 'last 30 days' },
  { days: 90, label: 'last 90 days' },
  { days: 365, label: 'last 12 months' },
];

/** The start of the next UTC hour: a stable `to` (the URLs, and so the cache, hold for an hour). */
function rangeEnd(): Date {
  const d = new Date();
  d.setUTCMinutes(0, 0, 0);
  d.setUTCHours(d.getUTCHours() + 1);
  return d;
}

function Kpi({ id, label, value, hint }: { id: string; label: string; value: ReactNode; hint?: string }) {
  return (
    <div className="tile" data-testid={`kpi-${id}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
      {hint ? <dd className="tile-hint">{hint}</dd> : null}
    </div>
  );
}

function Cards({ summary }: { summary: AnalyticsSummary }) {
  const tokens = knownTokenInfo;
  const revenueChurn = Object.entries(summary.churn.revenue)
    .filter(([, rate]) => rate !== null)
    .map(([currency, rate]) => `${formatRate(rate)} ${currency.toUpperCase()}`)
    .join(' · ');
  const tipAmounts = [formatAmounts(summary.tips.fiat, tokens), formatAmounts(summary.tips.crypto, tokens)]
    .filter((text) => text !== '—')
    .join(' · ');
  return (
    <dl className="tiles kpis">
      <Kpi
        id="mrr"
        label="MRR"
        value={formatAmounts(summary.mrr)}
        hint={`ARPU ${formatAmounts(summary.arpu)}`}
      />
      <Kpi
        id="churn"
        label="Churn (members)"
        value={formatRate(summary.churn.logo)}
        hint={revenueChurn ? `revenue ${revenueChurn}` : 'revenue —'}
      />
      <Kpi
        id="dau-mau"
        label="DAU / MAU"
        value={`${summary.active.dau} / ${summary.active.mau}`}
        hint={`stickiness ${formatRate(summary.active.stickiness)} · WAU ${summary.active.wau}`}
      />
      <Kpi id="conversion" label="Conversion (free → paid)" value={formatRate(summary.conversion)} />
      <Kpi id="nps" label="NPS" value={formatNps(summary.nps)} hint="−100 to +100" />
      <Kpi
        id="tips"
        label="Tips"
        value={String(summary.tips.count)}
        hint={`${tipAmounts || 'none yet'}${summary.tips.reversed ? ` · ${summary.tips.reversed} reversed` : ''}`}
      />
      <Kpi
        id="ltv"
        label="LTV"
        value={formatAmounts(summary.ltv)}
        hint={`CAC ${formatAmounts(summary.cac)}`}
      />
      <Kpi
        id="engagement"
        label="Event attendance"
        value={formatRate(summary.events.attendanceRate)}
        hint={`votes: ${formatRate(summary.governance.participation)} participation`}
      />
    </dl>
  );
}

function formatTick(value: number): string {
  if (Math.abs(value) >= 1_000_000) return `${Number((value / 1_000_000).toPrecision(3))}M`;
  if (Math.abs(value) >= 1000) return `${Number((value / 1000).toPrecision(3))}k`;
  return String(Number(value.toPrecision(4)));
}

/**
 * A hand-drawn SVG line chart of one line (amounts in different currencies or assets are never
 * converted, so each gets its own chart and axis); the same numbers are in a table below it.
 */
function LineChart({
  t,
  line,
  title,
  compact = false,
}: {
  t: string[];
  line: ChartLine;
  title: string;
  /** Two or more side by side: a narrower drawing, so its text stays readable. */
  compact?: boolean;
}) {
  const data = { t, lines: [line] };
  const width = compact ? 480 : 720;
  const height = 240;
  const left = 48;
  const right = 16;
  const top = 16;
  const bottom = 32;
  const values = data.lines.flatMap((l) => l.values.filter((v): v is number => v !== null));
  if (data.t.length === 0) return <p className="muted">No data for this period yet.</p>;
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const low = ticks[0] ?? 0;
  const high = ticks[ticks.length - 1] ?? 1;
  const span = high - low || 1;
  const x = (i: number) => left + (i * (width - left - right)) / Math.max(data.t.length - 1, 1);
  const y = (v: number) => height - bottom - ((v - low) * (height - top - bottom)) / span;
  const path = (vals: (number | null)[]) => {
    let d = '';
    let pen = false;
    vals.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
      pen = true;
    });
    return d.trim();
  };
  const labelEvery = Math.max(1, Math.ceil(data.t.length / 6));
  const latest = data.lines
    .map((l) => {
      const last = [...l.values].reverse().find((v) => v !== null);
      return `${l.label} ${last === undefined || last === null ? 'none' : formatTick(last)}`;
    })
    .join(', ');
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`${title}: ${data.t.length} points from ${data.t[0]?.slice(0, 10)} to ${data.t[data.t.length - 1]?.slice(0, 10)}; latest ${latest}`}
        data-testid="timeseries-chart"
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={left} x2={width - right} y1={y(tick)} y2={y(tick)} className="grid" />
            <text x={left - 6} y={y(tick) + 4} className="tick" textAnchor="end">
              {formatTick(tick)}
            </text>
          </g>
        ))}
        {data.t.map((t, i) =>
          i % labelEvery === 0 || i === data.t.length - 1 ? (
            <text key={t} x={x(i)} y={height - 10} className="tick" textAnchor="middle">
              {t.slice(5, 10)}
            </text>
          ) : null,
        )}
        <path d={path(line.values)} className="line" fill="none" />
        {line.values.map((v, i) =>
          v === null ? null : (
            <circle key={data.t[i]} cx={x(i)} cy={y(v)} r={data.t.length > 60 ? 1.5 : 3} className="dot">
              <title>
                {data.t[i]?.slice(0, 10)}: {line.label} {formatTick(v)}
              </title>
            </circle>
          ),
        )}
      </svg>
      <figcaption>{title}</figcaption>
      <details>
        <summary>The numbers</summary>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Period</th>
                {data.lines.map((l) => (
                  <th key={l.key} scope="col">
                    {l.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.t.map((t, i) => (
                <tr key={t}>
                  <th scope="row">{t.slice(0, 10)}</th>
                  {data.lines.map((l) => (
                    <td key={l.key}>{l.values[i] === null ? '—' : formatTick(l.values[i] as number)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function Heatmap({ rows }: { rows: CohortRow[] }) {
  if (rows.length === 0)
    return <p className="muted">No paying members yet: cohorts start with the first payment.</p>;
  const months = Math.max(...rows.map((r) => r.retention.length));
  const monthLabels = Array.from({ length: months }, (_, i) => `Month ${i}`);
  return (
    <div className="table-wrap">
      <table className="heatmap" data-testid="cohort-heatmap">
        <caption className="visually-hidden">
          Share of each monthly cohort of paying members still paying N months later
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
              <td>{row.size}</td>
              {monthLabels.map((label, i) => {
                const share = row.retention[i];
                if (share === null || share === undefined) return <td key={label} />;
                return (
                  <td
                    key={label}
                    className="heat"
                    style={{
                      background: `color-mix(in srgb, var(--accent) ${Math.round(10 + share * 85)}%, var(--surface))`,
                      color: share > 0.5 ? 'var(--accent-text)' : undefined,
                    }}
                  >
                    {formatRate(share)}
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
  const [metric, setMetric] = useState<SeriesMetric>('mrr');
  const [interval, setBucket] = useState<'day' | 'week' | 'month'>('day');
  const [days, setDays] = useState(30);
  const { from, to } = useMemo(() => {
    const end = rangeEnd();
    return { from: new Date(end.getTime() - days * 86_400_000).toISOString(), to: end.toISOString() };
  }, [days]);
  const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const query = `metric=${metric}&interval=${interval}&${range}`;
  const summary = useApi<AnalyticsSummary>(`${base}/summary?${range}`, { pollMs: 15_000 });
  const series = useApi<TimeSeries>(`${base}/timeseries?${query}`);
  const cohorts = useApi<Cohorts>(`${base}/cohorts`);
  const metricLabel = METRICS.find((m) => m.value === metric)?.label ?? metric;
  const chart = series.data ? seriesLines(series.data, metricLabel, knownTokenInfo) : undefined;
  const forbidden = summary.error?.status === 403;
  return (
    <section aria-labelledby="dash-title">
      <CommunityHeader slug={slug} />
      <div className="page-title">
        <h1 id="dash-title">Dashboard</h1>
        <div className="actions">
          <label htmlFor="range" className="inline">
            Period{' '}
            <select id="range" value={days} onChange={(e) => setDays(Number(e.target.value))}>
              {RANGES.map((r) => (
                <option key={r.days} value={r.days}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="secondary"
            onClick={() => void Promise.all([summary.reload(), series.reload(), cohorts.reload()])}
            disabled={summary.loading}
          >
            Refresh
          </button>
        </div>
      </div>
      {forbidden ? (
        <p className="note note-info" role="status">
          Only the owner and the admins of this community see its dashboard.
        </p>
      ) : (
        <LoadError error={summary.error} what="The business dashboard" />
      )}
      {summary.loading && !summary.data ? <Loading /> : null}
      {summary.data ? <Cards summary={summary.data} /> : null}
      {forbidden ? null : (
        <>
          <h2>Over time</h2>
          <div className="row">
            <div>
              <label htmlFor="metric">Metric</label>
              <select id="metric" value={metric} onChange={(e) => setMetric(e.target.value as SeriesMetric)}>
                {METRICS.map((m) => (
                  <option key={m.value} value={m.value}>
                    {m.label}
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
          {chart && chart.t.length === 0 ? <p className="muted">No data for this period yet.</p> : null}
          {chart && chart.t.length > 0 ? (
            <div className={chart.lines.length > 1 ? 'charts' : undefined}>
              {chart.lines.map((line) => (
                <LineChart
                  key={line.key}
                  t={chart.t}
                  line={line}
                  title={`${line.label} per ${interval}`}
                  compact={chart.lines.length > 1}
                />
              ))}
            </div>
          ) : null}
          <p className="actions">
            <a
              className="button secondary"
              href={`${base}/export.csv?${query}`}
              download={`${slug}-${metric}-${interval}.csv`}
            >
              Download {metricLabel} as CSV
            </a>
          </p>
          <h2>Retention by cohort</h2>
          <LoadError error={cohorts.error} what="Cohorts" />
          {cohorts.data ? <Heatmap rows={cohorts.data.cohorts} /> : null}
          {cohorts.data && cohorts.data.cohorts.length > 0 ? (
            <p className="actions">
              <a
                className="button secondary"
                href={`data:text/csv;charset=utf-8,${encodeURIComponent(cohortsCsv(cohorts.data.cohorts))}`}
                download={`${slug}-cohorts.csv`}
              >
                Download cohorts as CSV
              </a>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
