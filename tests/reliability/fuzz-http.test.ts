import { testInfra } from '@coterie/testing';
import fc from 'fast-check';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownTable, writeArtifact } from '../support/artifacts.ts';
import type { Browser, HttpResponse, RequestOptions } from '../support/browser.ts';
import {
  answerProblems,
  FUZZ_RUNS,
  fixedHostileBodies,
  hostileBody,
  hostileQuery,
  hostileSegment,
} from '../support/fuzz.ts';
import { type Platform, startPlatform } from '../support/platform.ts';
import { recordReliability } from '../support/reliability-summary.ts';
import { signInWithWallet } from '../support/siwe.ts';

/**
 * Property-based fuzzing of every JSON-body endpoint of API.md through the gateway: random,
 * schema-near, wrong-typed, oversized, deeply nested and unicode bodies, plus random path
 * segments and query strings. Whatever is sent: never a 5xx, a problem+json on every 4xx, an
 * answer within 2 s, and nothing stored beyond what was answered 2xx.
 */

let platform: Platform;
let owner: Browser;
let member: Browser;
let anonymous: Browser;
let slug: string;
let ids: { tier: string; event: string; cancelEvent: string; proposal: string; memberId: string };

const later = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

async function signedIn(ip: string): Promise<{ browser: Browser; memberId: string }> {
  const browser = platform.browser({ remoteAddress: ip });
  const { memberId } = await signInWithWallet(browser, privateKeyToAccount(generatePrivateKey()));
  return { browser, memberId };
}

beforeAll(async () => {
  platform = await startPlatform({
    // Fuzzing sends hundreds of requests from one client; the limits are tested elsewhere.
    gatewayEnv: { AUTH_RATE_LIMIT_PER_MINUTE: '100000', AUTH_EMAIL_START_RATE_LIMIT_PER_MINUTE: '100000' },
  });
  const o = await signedIn('10.7.0.1');
  const m = await signedIn('10.7.0.2');
  owner = o.browser;
  member = m.browser;
  anonymous = platform.browser({ remoteAddress: '10.7.0.3' });
  slug = `fz-${Math.random().toString(36).slice(2, 9)}`;
  const must = async (res: Promise<HttpResponse>, status: number) => {
    const r = await res;
    if (r.statusCode !== status) throw new Error(`setup: ${r.statusCode} ${r.body}`);
    return r.json<Record<string, { id: string }>>();
  };
  await must(owner.post('/v1/communities', { slug, name: 'Fuzzed' }), 201);
  const tier = await must(
    owner.post(`/v1/communities/${slug}/tiers`, {
      name: 'All',
      rank: 1,
      gate: { type: 'allowlist', addresses: [privateKeyToAccount(generatePrivateKey()).address] },
    }),
    201,
  );
  const event = () =>
    must(
      owner.post(`/v1/communities/${slug}/events`, {
        title: 'Fuzz night',
        startsAt: later(24),
        endsAt: later(25),
        timezone: 'UTC',
        location: { kind: 'online', url: 'https://meet.example.org/f' },
      }),
      201,
    );
  const token = testInfra().demo?.contracts.CommunityToken ?? `0x${'33'.repeat(20)}`;
  const proposal = await must(
    owner.post(`/v1/communities/${slug}/proposals`, {
      title: 'Fuzz?',
      choices: ['Yes', 'No'],
      type: 'single-choice',
      startsAt: new Date(Date.now() - 1_000).toISOString(),
      endsAt: later(1),
      quorum: { kind: 'absolute', value: '1' },
      strategy: { kind: 'erc20-balance', params: { chainId: 31337, token } },
    }),
    201,
  );
  ids = {
    tier: tier.tier?.id ?? '',
    event: (await event()).event?.id ?? '',
    cancelEvent: (await event()).event?.id ?? '',
    proposal: proposal.proposal?.id ?? '',
    memberId: m.memberId,
  };
}, 120_000);

afterAll(() => platform?.stop());

interface JsonEndpoint {
  method: RequestOptions['method'];
  path: () => string;
  who: () => Browser;
  sample: () => Record<string, unknown>;
}

const c = () => `/v1/communities/${slug}`;
const JSON_ENDPOINTS: JsonEndpoint[] = [
  {
    method: 'POST',
    path: () => '/v1/auth/siwe/verify',
    who: () => anonymous,
    sample: () => ({ message: 'localhost:3000 wants you to sign in', signature: `0x${'ab'.repeat(65)}` }),
  },
  {
    method: 'POST',
    path: () => '/v1/auth/email/start',
    who: () => anonymous,
    sample: () => ({ email: 'fuzz@example.org' }),
  },
  {
    method: 'POST',
    path: () => '/v1/auth/email/verify',
    who: () => anonymous,
    sample: () => ({ email: 'fuzz@example.org', code: '123456' }),
  },
  {
    method: 'PATCH',
    path: () => '/v1/me',
    who: () => member,
    sample: () => ({ displayName: 'Fuzzy', bio: 'hi', avatarUrl: 'https://example.org/a.png' }),
  },
  {
    method: 'POST',
    path: () => '/v1/me/wallets',
    who: () => member,
    sample: () => ({ message: 'localhost:3000 wants you to sign in', signature: `0x${'ab'.repeat(65)}` }),
  },
  {
    method: 'POST',
    path: () => '/v1/me/emails/start',
    who: () => member,
    sample: () => ({ email: 'fuzz-link@example.org' }),
  },
  {
    method: 'POST',
    path: () => '/v1/me/emails/verify',
    who: () => member,
    sample: () => ({ email: 'fuzz-link@example.org', code: '123456' }),
  },
  {
    method: 'POST',
    path: () => '/v1/communities',
    who: () => owner,
    sample: () => ({
      slug: `fz-${Math.random().toString(36).slice(2, 9)}`,
      name: 'N',
      description: 'D',
      treasury: { chainId: 31337, address: `0x${'44'.repeat(20)}` },
    }),
  },
  {
    method: 'PATCH',
    path: () => c(),
    who: () => owner,
    sample: () => ({ name: 'Fuzzed', description: 'D', treasury: null }),
  },
  {
    method: 'PUT',
    path: () => `${c()}/roles/${ids.memberId}`,
    who: () => owner,
    sample: () => ({ role: 'member' }),
  },
  {
    method: 'POST',
    path: () => `${c()}/tiers`,
    who: () => owner,
    sample: () => ({
      name: 'T',
      description: 'd',
      rank: 2,
      perks: [{ label: 'p', url: 'https://example.org' }],
      price: { value: '500', currency: 'usd', interval: 'month' },
      gate: { any: [{ type: 'subscription' }, { type: 'role', role: 'moderator' }] },
    }),
  },
  {
    method: 'PATCH',
    path: () => `${c()}/tiers/${ids.tier}`,
    who: () => owner,
    sample: () => ({ name: 'All', rank: 1, gate: { not: { type: 'allowlist', emails: ['x@example.org'] } } }),
  },
  {
    method: 'POST',
    path: () => `${c()}/events`,
    who: () => owner,
    sample: () => ({
      title: 'E',
      startsAt: later(48),
      endsAt: later(49),
      timezone: 'Europe/Berlin',
      location: { kind: 'venue', address: 'Somewhere 1' },
      capacity: 3,
      minTierRank: 1,
    }),
  },
  {
    method: 'PATCH',
    path: () => `${c()}/events/${ids.event}`,
    who: () => owner,
    sample: () => ({ title: 'Fuzz night', capacity: null, minTierRank: null, timezone: 'UTC' }),
  },
  {
    method: 'POST',
    path: () => `${c()}/events/${ids.cancelEvent}/cancel`,
    who: () => owner,
    sample: () => ({ reason: 'fuzz' }),
  },
  {
    method: 'PUT',
    path: () => `${c()}/events/${ids.event}/rsvp`,
    who: () => member,
    sample: () => ({ status: 'going' }),
  },
  {
    method: 'POST',
    path: () => `${c()}/events/${ids.event}/check-in`,
    who: () => owner,
    sample: () => ({ memberId: ids.memberId }),
  },
  {
    method: 'POST',
    path: () => `${c()}/events/${ids.event}/self-check-in`,
    who: () => member,
    sample: () => ({ code: 'ABCD1234' }),
  },
  {
    method: 'POST',
    path: () => `${c()}/proposals`,
    who: () => owner,
    sample: () => ({
      title: 'P',
      body: 'b',
      choices: ['a', 'b'],
      type: 'approval',
      startsAt: new Date().toISOString(),
      endsAt: later(2),
      quorum: { kind: 'percent-of-supply', bps: 100 },
      strategy: { kind: 'tier-member', params: { minRank: 1 } },
    }),
  },
  {
    method: 'POST',
    path: () => `${c()}/proposals/${ids.proposal}/votes`,
    who: () => anonymous,
    sample: () => ({
      message: { proposal: ids.proposal, choice: '1', voter: `0x${'55'.repeat(20)}`, timestamp: 1 },
      signature: `0x${'ab'.repeat(65)}`,
    }),
  },
  {
    method: 'POST',
    path: () => `${c()}/tips`,
    who: () => member,
    sample: () => ({ to: 'creator', amount: { value: '500', currency: 'usd' }, message: 'hi' }),
  },
  {
    method: 'POST',
    path: () => `${c()}/tips/crypto`,
    who: () => member,
    sample: () => ({ chainId: 31337, txHash: `0x${'cd'.repeat(32)}`, to: 'creator', message: 'hi' }),
  },
  {
    method: 'POST',
    path: () => `${c()}/rewards`,
    who: () => owner,
    sample: () => ({ to: ids.memberId, amount: { value: '100', currency: 'usd' }, message: 'thanks' }),
  },
  {
    method: 'POST',
    path: () => `${c()}/nps`,
    who: () => member,
    sample: () => ({ score: 7, comment: 'ok' }),
  },
  {
    method: 'POST',
    path: () => `${c()}/analytics/spend`,
    who: () => owner,
    sample: () => ({ month: '2026-11', amount: { value: '1000', currency: 'usd' } }),
  },
  {
    method: 'POST',
    path: () => `${c()}/tiers/${ids.tier}/checkout`,
    who: () => member,
    sample: () => ({ successUrl: 'http://localhost:3000/ok', cancelUrl: 'http://localhost:3000/no' }),
  },
  {
    method: 'POST',
    path: () => `${c()}/billing-portal`,
    who: () => member,
    sample: () => ({ returnUrl: 'http://localhost:3000/' }),
  },
  {
    method: 'POST',
    path: () => `${c()}/stripe/connect`,
    who: () => owner,
    sample: () => ({ returnUrl: 'http://localhost:3000/', refreshUrl: 'http://localhost:3000/' }),
  },
  {
    method: 'POST',
    path: () => '/v1/webhooks/stripe',
    who: () => anonymous,
    sample: () => ({ id: 'evt_1', object: 'event', type: 'account.updated', data: { object: {} } }),
  },
];

interface Tally {
  endpoint: string;
  sent: number;
  byClass: Record<string, number>;
  created: number;
  slowestMs: number;
  failures: string[];
}
const tallies: Tally[] = [];

async function send(
  browser: Browser,
  method: RequestOptions['method'],
  url: string,
  raw?: string,
): Promise<{ res: HttpResponse; ms: number }> {
  const started = performance.now();
  const res = await browser.request({
    method,
    url,
    ...(raw === undefined ? {} : { body: raw, headers: { 'content-type': 'application/json' } }),
  });
  return { res, ms: performance.now() - started };
}

function record(tally: Tally, what: string, res: HttpResponse, ms: number): boolean {
  tally.sent += 1;
  const klass = `${Math.floor(res.statusCode / 100)}xx`;
  tally.byClass[klass] = (tally.byClass[klass] ?? 0) + 1;
  if (res.statusCode >= 200 && res.statusCode < 300 && res.statusCode !== 200) tally.created += 1;
  tally.slowestMs = Math.max(tally.slowestMs, ms);
  const problems = answerProblems(res, ms);
  for (const p of problems) if (tally.failures.length < 5) tally.failures.push(`${what}: ${p}`);
  return problems.length === 0;
}

/** What the community holds, by listing: stored objects must equal the 201s answered. */
interface Inventory {
  communities: number;
  tiers: number;
  events: number;
  proposals: number;
}

async function inventory(): Promise<Inventory> {
  const count = async (url: string) => {
    let n = 0;
    let cursor: string | null = null;
    do {
      const res = await owner.get(
        `${url}${url.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const page = res.json<{ items: unknown[]; nextCursor: string | null }>();
      n += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    return n;
  };
  return {
    communities: await count('/v1/communities'),
    tiers: (await owner.get(`${c()}/tiers`)).json<{ items: unknown[] }>().items.length,
    events: await count(`${c()}/events?from=2000-01-01T00:00:00.000Z`),
    proposals: await count(`${c()}/proposals`),
  };
}

describe('fuzzing every JSON endpoint', () => {
  it(
    'never answers 5xx, always problem+json on 4xx, within 2 s, storing nothing half-made',
    async () => {
      const before = await inventory();
      for (const endpoint of JSON_ENDPOINTS) {
        const name = `${endpoint.method} ${endpoint.path().replace(slug, ':c')}`;
        const tally: Tally = { endpoint: name, sent: 0, byClass: {}, created: 0, slowestMs: 0, failures: [] };
        tallies.push(tally);
        for (const [what, raw] of fixedHostileBodies(endpoint.sample())) {
          const { res, ms } = await send(endpoint.who(), endpoint.method, endpoint.path(), raw);
          record(tally, what, res, ms);
        }
        await fc
          .assert(
            fc.asyncProperty(hostileBody(endpoint.sample()), async (raw) => {
              const { res, ms } = await send(endpoint.who(), endpoint.method, endpoint.path(), raw);
              return record(tally, `body ${raw.slice(0, 160)}`, res, ms);
            }),
            { numRuns: FUZZ_RUNS, endOnFailure: true },
          )
          .catch((error: Error) => {
            if (tally.failures.length === 0) tally.failures.push(error.message.slice(0, 500));
          });
      }
      const after = await inventory();
      const created = (endpoint: string) =>
        tallies.filter((t) => t.endpoint === endpoint).reduce((n, t) => n + t.created, 0);
      // Nothing half-stored: every object that exists now was answered 201/202 to someone.
      expect(after.communities - before.communities).toBe(created('POST /v1/communities'));
      expect(after.tiers - before.tiers).toBe(created('POST /v1/communities/:c/tiers'));
      expect(after.events - before.events).toBe(created('POST /v1/communities/:c/events'));
      expect(after.proposals - before.proposals).toBe(created('POST /v1/communities/:c/proposals'));
      expect(tallies.flatMap((t) => t.failures)).toEqual([]);
    },
    FUZZ_RUNS * 6_000,
  );

  it('never answers 5xx to random path segments and query strings', async () => {
    const tally: Tally = {
      endpoint: 'random :c / :id / query',
      sent: 0,
      byClass: {},
      created: 0,
      slowestMs: 0,
      failures: [],
    };
    tallies.push(tally);
    const shapes: ((seg: string, q: string) => [RequestOptions['method'], string])[] = [
      (seg, q) => ['GET', `/v1/communities/${seg}?${q}`],
      (seg, q) => ['GET', `/v1/communities/${seg}/events?${q}`],
      (seg, q) => ['GET', `${c()}/events/${seg}?${q}`],
      (seg, q) => ['GET', `${c()}/proposals/${seg}?${q}`],
      (seg, q) => ['GET', `${c()}/proposals/${seg}/vote-typed-data?${q}`],
      (seg, q) => ['GET', `${c()}/tips/${seg}?${q}`],
      (_seg, q) => ['GET', `${c()}/tips/leaderboard?${q}`],
      (_seg, q) => ['GET', `${c()}/analytics/timeseries?${q}`],
      (_seg, q) => ['GET', `${c()}/analytics/export.csv?${q}`],
      (_seg, q) => ['GET', `/v1/communities?${q}`],
      (_seg, q) => ['GET', `${c()}/proposals?${q}`],
      (_seg, q) => ['GET', `/v1/me/calendar.ics?${q}`],
      (_seg, q) => ['GET', `/v1/me/data?${q}`],
      (_seg, q) => ['GET', `/v1/auth/email/callback?${q}`],
      (seg) => ['PUT', `${c()}/roles/${seg}`],
      (seg) => ['PATCH', `${c()}/tiers/${seg}`],
      (seg) => ['POST', `${c()}/events/${seg}/cancel`],
    ];
    await fc
      .assert(
        fc.asyncProperty(
          fc.constantFrom(...shapes),
          hostileSegment,
          hostileQuery,
          fc.constantFrom('owner', 'anonymous'),
          async (shape, seg, q, who) => {
            const [method, url] = shape(seg, q);
            const browser = who === 'owner' ? owner : anonymous;
            const { res, ms } = await send(browser, method, url, method === 'GET' ? undefined : '{}');
            return record(tally, `${method} ${url.slice(0, 200)}`, res, ms);
          },
        ),
        { numRuns: FUZZ_RUNS * 8, endOnFailure: true },
      )
      .catch((error: Error) => {
        if (tally.failures.length === 0) tally.failures.push(error.message.slice(0, 500));
      });
    expect(tally.failures).toEqual([]);
  }, 120_000);

  afterAll(() => {
    const sent = tallies.reduce((n, t) => n + t.sent, 0);
    const failed = tallies.reduce((n, t) => n + t.failures.length, 0);
    recordReliability({
      category: 'input',
      check: `HTTP fuzzing of ${tallies.length} endpoints (random, oversized, wrong-typed, nested, unicode)`,
      tried: sent,
      passed: sent - failed,
      lost: 0,
    });
    writeArtifact(
      'fuzz-http.md',
      [
        '# HTTP fuzzing',
        '',
        `Generated by tests/reliability/fuzz-http.test.ts on ${new Date().toISOString()}, ${FUZZ_RUNS} runs per property.`,
        `${tallies.reduce((n, t) => n + t.sent, 0)} requests in all.`,
        '',
        markdownTable(
          ['endpoint', 'sent', 'answers', '2xx stored', 'slowest ms', 'failures'],
          tallies.map((t) => [
            t.endpoint,
            String(t.sent),
            Object.entries(t.byClass)
              .map(([k, v]) => `${k}:${v}`)
              .join(' '),
            String(t.created),
            String(Math.round(t.slowestMs)),
            t.failures.join(' · ') || '—',
          ]),
        ),
        '',
      ].join('\n'),
    );
  });
});
