import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../support/browser.ts';
import { type Platform, startPlatform } from '../support/platform.ts';
import { expectProblem } from '../support/problem.ts';
import { signInWithWallet } from '../support/siwe.ts';

let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

async function member(): Promise<Browser> {
  const browser = platform.browser();
  await signInWithWallet(browser, privateKeyToAccount(generatePrivateKey()));
  return browser;
}

describe('analytics through the gateway', () => {
  it('shows the owner the dashboard, keeps members out, and takes NPS answers and spend', async () => {
    const owner = await member();
    const slug = `an-${Math.random().toString(36).slice(2, 10)}`;
    expect((await owner.post('/v1/communities', { slug, name: 'Metrics' })).statusCode).toBe(201);
    const base = `/v1/communities/${slug}`;

    const summary = await owner.get(`${base}/analytics/summary`);
    expect(summary.statusCode, summary.body).toBe(200);
    expect(Object.keys(summary.json()).sort()).toEqual(
      [
        'active',
        'arpu',
        'cac',
        'churn',
        'conversion',
        'events',
        'governance',
        'ltv',
        'mrr',
        'nps',
        'tips',
      ].sort(),
    );
    expect(summary.json()).toMatchObject({
      mrr: {},
      active: { dau: expect.any(Number) },
      events: { attendanceRate: null },
    });
    const plain = await member();
    expectProblem(await plain.get(`${base}/analytics/summary`), 403, 'forbidden');

    expect((await owner.post(`${base}/nps`, { score: 9, comment: 'Love it' })).statusCode).toBe(201);
    expectProblem(await owner.post(`${base}/nps`, { score: 3 }), 409, 'nps_already_answered');

    const spend = await owner.post(`${base}/analytics/spend`, {
      month: '2026-11',
      amount: { value: '25000', currency: 'usd' },
    });
    expect(spend.statusCode).toBe(201);
    expect(spend.json()).toEqual({
      spend: { month: '2026-11', amount: { value: '25000', currency: 'usd' } },
    });

    const series = await owner.get(`${base}/analytics/timeseries?metric=signups&interval=week`);
    expect(series.statusCode, series.body).toBe(200);
    expect(series.json<{ points: { t: string }[] }>().points.length).toBeGreaterThan(0);

    const csv = await owner.get(`${base}/analytics/export.csv?metric=dau`);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.csv"$/);
    expect(csv.body.split(/\r?\n/)[0]).toBe('t,value');
  });
});
