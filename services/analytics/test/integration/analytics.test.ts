import { analyticsRpc } from '@coterie/contracts';
import { createPool, schemaNameFor } from '@coterie/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../src/rebuild.ts';
import { type AnalyticsFixture, analyticsFixture } from '../factories/analytics-fixture.ts';
import { expectedNovember, MEMBER_NAMES, scriptedMonth } from '../factories/scripted-month.ts';

let f: AnalyticsFixture;
const month = scriptedMonth();
const november = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };
const owner = month.ownerId;
const summary = () =>
  f.rpc.call(analyticsRpc.summary, { actorId: owner, communityId: month.communityId, ...november });

beforeAll(async () => {
  f = await analyticsFixture();
  f.entitlements.setRole(owner, 'owner');
  for (const n of MEMBER_NAMES) f.entitlements.addMember(month.members[n]);
  // Newest first: every stream delivers out of order; the late sign-in comes after everything.
  await f.publish([...month.events].reverse());
  await f.publish([month.late]);
  const answer = async (name: 'a' | 'b' | 'c', when: string, score: number) => {
    f.clock.now = new Date(when);
    await f.rpc.call(analyticsRpc.submitNps, {
      actorId: month.members[name],
      communityId: month.communityId,
      score,
    });
  };
  await answer('c', '2026-11-28T11:00:00Z', 3);
  await answer('a', '2026-11-30T11:00:00Z', 10);
  await answer('b', '2026-11-30T11:05:00Z', 9);
  await f.rpc.call(analyticsRpc.recordSpend, {
    actorId: owner,
    communityId: month.communityId,
    month: '2026-11',
    amount: { value: '10000', currency: 'usd' },
  });
  await f.caughtUp();
});
afterAll(() => f?.close());

describe('analytics from the event streams', () => {
  it('produces the hand-computed summary of a scripted month', async () => {
    expect(await summary()).toEqual(expectedNovember);
  });

  it('buckets late and out-of-order events by occurredAt', async () => {
    const { points } = await f.rpc.call(analyticsRpc.timeseries, {
      actorId: owner,
      communityId: month.communityId,
      metric: 'dau',
      interval: 'day',
      ...november,
    });
    const dau = Object.fromEntries(points.map((p) => [p.t.slice(0, 10), p.value]));
    expect(points).toHaveLength(30);
    expect(dau).toMatchObject({
      '2026-11-10': 1, // d's sign-in, delivered last
      '2026-11-22': 3, // a b d voted
      '2026-11-24': 0, // g signed in before joining (the join arrived first, dated later)
      '2026-11-27': 1, // g, after joining
      '2026-11-30': 2,
    });
    const mrr = await f.rpc.call(analyticsRpc.timeseries, {
      actorId: owner,
      communityId: month.communityId,
      metric: 'mrr',
      interval: 'month',
      from: '2026-09-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
    });
    expect(mrr.points).toEqual([
      { t: '2026-09-01T00:00:00.000Z', value: { usd: '1500' } },
      { t: '2026-10-01T00:00:00.000Z', value: { eur: '900', usd: '4000' } },
      { t: '2026-11-01T00:00:00.000Z', value: { eur: '2000', usd: '5533' } },
    ]);
  });

  it('reads cohorts, time series and CSV', async () => {
    f.clock.now = new Date('2026-11-30T18:00:00Z');
    const { cohorts } = await f.rpc.call(analyticsRpc.cohorts, {
      actorId: owner,
      communityId: month.communityId,
    });
    expect(cohorts).toEqual([
      { cohort: '2026-09', size: 2, retention: [1, 0.5, 0.5] },
      { cohort: '2026-10', size: 3, retention: [1, 1] },
      { cohort: '2026-11', size: 2, retention: [1] },
    ]);
    const weekly = await f.rpc.call(analyticsRpc.timeseries, {
      actorId: owner,
      communityId: month.communityId,
      metric: 'signups',
      interval: 'week',
      ...november,
    });
    expect(weekly.points.map((p) => p.value)).toEqual([0, 3, 0, 0, 1, 0]); // h d i on 2–4 Nov, g on 25 Nov
    const { csv } = await f.rpc.call(analyticsRpc.exportCsv, {
      actorId: owner,
      communityId: month.communityId,
      metric: 'tips',
      interval: 'month',
      ...november,
    });
    expect(csv).toBe('t,native:31337,usd\r\n2026-11-01T00:00:00.000Z,1000000000000000000,500\r\n');
  });

  it('changes nothing when the same events are delivered twice', async () => {
    const before = JSON.stringify(await summary());
    await f.publish([...month.events, month.late], { redeliver: true });
    await f.caughtUp();
    expect(JSON.stringify(await summary())).toBe(before);
  });

  it('rebuilds from the streams to the same summary, byte for byte', async () => {
    const live = JSON.stringify(await summary());
    const result = await rebuildProjections({ config: f.config });
    expect(result.applied.entitlements).toBeGreaterThan(0);
    expect(result.applied.analytics).toBe(4); // 3 NPS answers + 1 spend
    expect(JSON.stringify(await summary())).toBe(live);
    const pool = createPool({
      connectionString: f.config.DATABASE_URL,
      schema: schemaNameFor('analytics', f.namespace),
    });
    try {
      const { rows } = await pool.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 || '%'", [
        schemaNameFor('analytics', f.namespace),
      ]);
      expect(rows.map((r) => r.nspname)).toEqual([schemaNameFor('analytics', f.namespace)]);
    } finally {
      await pool.end();
    }
  });

  it('takes one NPS answer per member per 30 days', async () => {
    f.clock.now = new Date('2026-12-20T12:00:00Z');
    await expect(
      f.rpc.call(analyticsRpc.submitNps, {
        actorId: month.members.a,
        communityId: month.communityId,
        score: 8,
      }),
    ).rejects.toMatchObject({ code: 'nps_already_answered', status: 409 });
    f.clock.now = new Date('2026-12-30T11:00:01Z');
    await expect(
      f.rpc.call(analyticsRpc.submitNps, {
        actorId: month.members.a,
        communityId: month.communityId,
        score: 8,
      }),
    ).resolves.toMatchObject({ response: { score: 8 } });
  });

  it('refuses analytics to non-admins and NPS to non-members', async () => {
    await expect(
      f.rpc.call(analyticsRpc.summary, {
        actorId: month.members.a,
        communityId: month.communityId,
        ...november,
      }),
    ).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    await expect(
      f.rpc.call(analyticsRpc.recordSpend, {
        actorId: month.members.b,
        communityId: month.communityId,
        month: '2026-11',
        amount: { value: '1', currency: 'usd' },
      }),
    ).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    await expect(
      f.rpc.call(analyticsRpc.submitNps, {
        actorId: owner.replace(/.$/, '0'),
        communityId: month.communityId,
        score: 5,
      }),
    ).rejects.toMatchObject({ code: 'forbidden', status: 403 });
  });
});
