import type { AnalyticsInterval, AnalyticsMetric, Timeseries } from '@coterie/contracts';
import type { Queryable } from '@coterie/db';
import {
  dailyActive,
  distinctActive,
  joinsByDay,
  mrrDailyDeltas,
  npsScores,
  rollingMau,
  tipVolume,
} from '../adapters/postgres/read-model.ts';
import { type Bucket, buckets, netPromoterScore } from '../domain/kpi/index.ts';

type Point = Timeseries['points'][number];

const sortedRecord = (m: Map<string, bigint>): Record<string, string> =>
  Object.fromEntries(
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, v.toString()]),
  );

/** Which bucket (index) holds a `YYYY-MM-DD`, or -1 outside the range. */
function locate(bs: readonly Bucket[]): (day: string) => number {
  return (day) => {
    let lo = 0;
    let hi = bs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = bs[mid]!;
      if (day < b.firstDay) hi = mid - 1;
      else if (day > b.lastDay) lo = mid + 1;
      else return mid;
    }
    return -1;
  };
}

/**
 * A metric per bucket of [from, to): `t` is the bucket's start (UTC day, ISO week from Monday, or
 * month). Levels (mrr, mau) are taken at the end of the bucket's last day; flows (signups, tips,
 * nps) are over the bucket; `dau` is the bucket's average DAU (2 decimals), `active` its distinct
 * active members.
 */
export async function computeTimeseries(
  q: Queryable,
  input: { communityId: string; metric: AnalyticsMetric; interval: AnalyticsInterval; from: Date; to: Date },
): Promise<Timeseries> {
  const { communityId, from, to } = input;
  const bs = buckets(from, to, input.interval);
  const at = locate(bs);
  const t = (b: Bucket) => b.start.toISOString();
  const firstDay = bs[0]?.firstDay ?? from.toISOString().slice(0, 10);
  const lastDay = bs[bs.length - 1]?.lastDay ?? firstDay;
  let points: Point[];
  switch (input.metric) {
    case 'mrr': {
      const deltas = await mrrDailyDeltas(q, communityId, to);
      const level = new Map<string, bigint>();
      points = [];
      let i = 0;
      for (const b of bs) {
        for (; i < deltas.length && deltas[i]!.day <= b.lastDay; i++) {
          const d = deltas[i]!;
          level.set(d.currency, (level.get(d.currency) ?? 0n) + BigInt(d.delta));
        }
        points.push({ t: t(b), value: sortedRecord(new Map([...level].filter(([, v]) => v !== 0n))) });
      }
      break;
    }
    case 'dau': {
      const daily = await dailyActive(q, communityId, firstDay, lastDay);
      const sums = bs.map(() => 0);
      for (const [day, n] of daily) {
        const i = at(day);
        if (i >= 0) sums[i]! += n;
      }
      points = bs.map((b, i) => {
        const days = Math.round((Date.parse(b.lastDay) - Date.parse(b.firstDay)) / 86_400_000) + 1;
        return { t: t(b), value: Math.round((sums[i]! / days) * 100) / 100 };
      });
      break;
    }
    case 'active': {
      const counts = await distinctActive(q, communityId, bs);
      points = bs.map((b, i) => ({ t: t(b), value: counts[i]! }));
      break;
    }
    case 'mau': {
      const sweep = await rollingMau(q, communityId, firstDay, lastDay);
      let level = 0;
      let i = 0;
      points = bs.map((b) => {
        for (; i < sweep.length && sweep[i]!.day <= b.lastDay; i++) level += sweep[i]!.delta;
        return { t: t(b), value: level };
      });
      break;
    }
    case 'signups': {
      const joins = await joinsByDay(q, communityId, from, to);
      const sums = bs.map(() => 0);
      for (const [day, n] of joins) {
        const i = at(day);
        if (i >= 0) sums[i]! += n;
      }
      points = bs.map((b, i) => ({ t: t(b), value: sums[i]! }));
      break;
    }
    case 'tips': {
      const rows = await tipVolume(q, communityId, from, to, true);
      const sums = bs.map(() => new Map<string, bigint>());
      for (const r of rows) {
        const i = at(r.day!);
        if (i < 0 || r.count === 0) continue;
        const key = r.asset.startsWith('fiat:') ? r.asset.slice(5) : r.asset;
        sums[i]!.set(key, (sums[i]!.get(key) ?? 0n) + BigInt(r.amount));
      }
      points = bs.map((b, i) => ({ t: t(b), value: sortedRecord(sums[i]!) }));
      break;
    }
    case 'nps': {
      const scores = await npsScores(q, communityId, from, to);
      const per = bs.map(() => [] as number[]);
      for (const s of scores) {
        const i = at(s.day);
        if (i >= 0) per[i]!.push(s.score);
      }
      points = bs.map((b, i) => ({ t: t(b), value: netPromoterScore(per[i]!) }));
      break;
    }
  }
  return { points };
}
