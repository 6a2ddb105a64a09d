import { freshAccount, sendAndWait } from '@coterie/contracts-abi/dev-chain';
import { testInfra } from '@coterie/testing';
import type { Address, PrivateKeyAccount } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownTable, writeArtifact } from '../support/artifacts.ts';
import type { Browser, HttpResponse, RequestOptions } from '../support/browser.ts';
import { type Platform, startPlatform } from '../support/platform.ts';
import { recordReliability } from '../support/reliability-summary.ts';
import { signInWithWallet } from '../support/siwe.ts';
import { type StripeDouble, startStripeDouble } from '../support/stripe-double.ts';

/**
 * Who may do what where: every community- or member-scoped route of API.md, called by each kind
 * of actor against community A, with the status each must get. The table below IS the policy;
 * each run asserts it and writes it (expected vs. seen) to test-artifacts/isolation-matrix.md.
 */

const ACTORS = [
  'anonymous',
  'otherMember',
  'belowTier',
  'member',
  'moderator',
  'otherAdmin',
  'admin',
] as const;
type Actor = (typeof ACTORS)[number];

const ACTOR_NOTES: Record<Actor, string> = {
  anonymous: 'no session',
  otherMember: "holds B's top tier, nothing in A",
  belowTier: "signed in, holds only A's low tier (rank 1), not the gated one (rank 10)",
  member: "holds A's top tier (rank 10)",
  moderator: 'role moderator in A, no tier',
  otherAdmin: 'owner of community B',
  admin: 'role admin in A (granted by the owner)',
};

/** One status for every actor, or per actor over a default. */
type Expected = Record<Actor, number>;
const all = (status: number, overrides: Partial<Expected> = {}): Expected => ({
  ...(Object.fromEntries(ACTORS.map((a) => [a, status])) as Expected),
  ...overrides,
});
/** Signed-in actors get `status`, anonymous 401. */
const signedIn = (status: number, overrides: Partial<Expected> = {}) =>
  all(status, { anonymous: 401, ...overrides });
/** Owner/admin only: 401 anonymous, 403 everyone else. */
const adminOnly = (status: number, overrides: Partial<Expected> = {}) =>
  signedIn(403, { admin: status, ...overrides });
/** Hosts (owner, admins, moderators). */
const hostsOnly = (status: number, overrides: Partial<Expected> = {}) =>
  adminOnly(status, { moderator: status, ...overrides });

interface World {
  a: string;
  b: string;
  ids: {
    target: string;
    tierGold: string;
    tierBasic: string;
    publicEvent: string;
    gatedEvent: string;
    proposal: string;
    tip: string;
    memberId: string;
  };
  /** A fresh event in A (for destructive cells). */
  freshEvent(): Promise<string>;
}

interface Route {
  group: 'admin' | 'member' | 'public';
  name: string;
  method: RequestOptions['method'];
  path(w: World): string | Promise<string>;
  body?: (w: World, actor: Actor) => unknown;
  expected: Expected;
  /**
   * For a route that destroys the caller's own account: who calls it instead of the actor's
   * session (a fresh stand-in with the same standing), so the other cells keep their actors.
   */
  as?: (actor: Actor) => Promise<Browser>;
}

const MONTH = new Date().toISOString().slice(0, 7);
const later = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
const eventBody = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  startsAt: later(24),
  endsAt: later(26),
  timezone: 'UTC',
  location: { kind: 'online', url: 'https://meet.example.org/x' },
  ...extra,
});

let token: Address;
const proposalBody = () => ({
  title: 'Isolation?',
  choices: ['Yes', 'No'],
  type: 'single-choice',
  startsAt: new Date(Date.now() - 1_000).toISOString(),
  endsAt: later(1),
  quorum: { kind: 'absolute', value: '1' },
  strategy: { kind: 'erc20-balance', params: { chainId: 31337, token } },
});

/** The policy. */
const ROUTES: Route[] = [
  // ── admin routes ────────────────────────────────────────────────────────────────
  {
    group: 'admin',
    name: 'PATCH /communities/:c',
    method: 'PATCH',
    path: (w) => `/v1/communities/${w.a}`,
    body: () => ({ description: 'edited' }),
    expected: adminOnly(200),
  },
  {
    group: 'admin',
    name: 'PUT /communities/:c/roles/:memberId',
    method: 'PUT',
    path: (w) => `/v1/communities/${w.a}/roles/${w.ids.target}`,
    body: () => ({ role: 'member' }),
    expected: adminOnly(200),
  },
  {
    group: 'admin',
    name: 'POST /communities/:c/tiers',
    method: 'POST',
    path: (w) => `/v1/communities/${w.a}/tiers`,
    body: (_w, actor) => ({
      name: `by ${actor}`,
      rank: 500, // ranks are unique per community: only the admin's call may create it
      gate: { type: 'allowlist', addresses: [`0x${'22'.repeat(20)}`], emails: [] },
    }),
    expected: adminOnly(201),
  },
  {
    group: 'admin',
    name: 'PATCH /communities/:c/tiers/:tierId',
    method: 'PATCH',
    path: (w) => `/v1/communities/${w.a}/tiers/${w.ids.tierBasic}`,
    body: (_w, actor) => ({ description: `edited by ${actor}` }),
    expected: adminOnly(200),
  },
  {
    group: 'admin',
    name: 'GET /communities/:c/members',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/members`,
    expected: hostsOnly(200),
  },
  {
    group: 'admin',
    name: 'POST /communities/:c/stripe/connect',
    method: 'POST',
    path: (w) => `/v1/communities/${w.a}/stripe/connect`,
    expected: adminOnly(200),
  },
  {
    group: 'admin',
    name: 'GET /analytics/summary',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/analytics/summary`,
    expected: adminOnly(200),
  },
  {
    group: 'admin',
    name: 'GET /analytics/timeseries',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/analytics/timeseries?metric=mrr&interval=week`,
    expected: adminOnly(200),
  },
  {
    group: 'admin',
    name: 'GET /analytics/cohorts',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/analytics/cohorts`,
    expected: adminOnly(200),
  },
  {
    group: 'admin',
    name: 'GET /analytics/export.csv',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/analytics/export.csv?metric=signups`,
    expected: adminOnly(200),
  },
  {
    group: 'admin',
    name: 'POST /analytics/spend',
    method: 'POST',
    path: (w) => `/v1/communities/${w.a}/analytics/spend`,
    body: () => ({ month: MONTH, amount: { value: '1000', currency: 'usd' } }),
    expected: adminOnly(201),
  },
  {
    group: 'admin',
    name: 'POST /events (create)',
    method: 'POST',
    path: (w) => `/v1/communities/${w.a}/events`,
    body: (_w, actor) => eventBody(`by ${actor}`),
    expected: hostsOnly(201),
  },
  {
    group: 'admin',
    name: 'PATCH /events/:id (update)',
    method: 'PATCH',
    path: (w) => `/v1/communities/${w.a}/events/${w.ids.publicEvent}`,
    body: (_w, actor) => ({ description: `edited by ${actor}` }),
    expected: hostsOnly(200),
  },
  {
    group: 'admin',
    name: 'POST /events/:id/cancel',
    method: 'POST',
    path: async (w) => `/v1/communities/${w.a}/events/${await w.freshEvent()}/cancel`,
    expected: hostsOnly(200),
  },
  {
    group: 'admin',
    name: 'POST /events/:id/check-in',
    method: 'POST',
    path: (w) => `/v1/communities/${w.a}/events/${w.ids.publicEvent}/check-in`,
    body: (w) => ({ memberId: w.ids.memberId }),
    expected: hostsOnly(200),
  },
  {
    group: 'admin',
    name: 'POST /proposals (create)',
    method: 'POST',
    path: (w) => `/v1/communities/${w.a}/proposals`,
    body: () => proposalBody(),
    expected: adminOnly(201),
  },
  {
    group: 'admin',
    name: 'POST /rewards (fiat)',
    method: 'POST',
    path: (w) => `/v1/communities/${w.a}/rewards`,
    body: (w) => ({ to: w.ids.memberId, amount: { value: '100', currency: 'usd' } }),
    expected: adminOnly(201),
  },
  // ── member routes ───────────────────────────────────────────────────────────────
  {
    group: 'member',
    name: 'GET /membership',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/membership`,
    expected: signedIn(200),
  },
  {
    group: 'member',
    name: 'POST /membership/refresh',
    method: 'POST',
    path: (w) => `/v1/communities/${w.a}/membership/refresh`,
    expected: signedIn(200),
  },
  {
    group: 'member',
    name: 'PUT /events/:id/rsvp (public event)',
    method: 'PUT',
    path: (w) => `/v1/communities/${w.a}/events/${w.ids.publicEvent}/rsvp`,
    body: () => ({ status: 'going' }),
    expected: signedIn(200),
  },
  {
    group: 'member',
    name: 'PUT /events/:id/rsvp (rank-10 event)',
    method: 'PUT',
    path: (w) => `/v1/communities/${w.a}/events/${w.ids.gatedEvent}/rsvp`,
    body: () => ({ status: 'maybe' }),
    expected: signedIn(404, { member: 200, moderator: 200, admin: 200 }),
  },
  {
    group: 'member',
    name: 'POST /nps',
    method: 'POST',
    path: (w) => `/v1/communities/${w.a}/nps`,
    body: () => ({ score: 9 }),
    // Any tier holder answers; staff (moderator, admin) count as members of their community too.
    expected: signedIn(403, { belowTier: 201, member: 201, moderator: 201, admin: 201 }),
  },
  {
    group: 'member',
    name: 'POST /tips (fiat, no Stripe on tipping)',
    method: 'POST',
    path: (w) => `/v1/communities/${w.a}/tips`,
    body: () => ({ to: 'creator', amount: { value: '500', currency: 'usd' } }),
    expected: signedIn(409),
  },
  {
    group: 'member',
    name: 'POST /tips/crypto (unknown tx)',
    method: 'POST',
    path: (w) => `/v1/communities/${w.a}/tips/crypto`,
    body: () => ({ chainId: 31337, txHash: `0x${'ab'.repeat(32)}` }),
    expected: signedIn(202),
  },
  {
    group: 'member',
    name: 'POST /tiers/:tierId/checkout (unpriced tier)',
    method: 'POST',
    path: (w) => `/v1/communities/${w.a}/tiers/${w.ids.tierGold}/checkout`,
    expected: signedIn(409), // tier_not_priced, to anyone signed in
  },
  {
    group: 'member',
    name: 'GET /me/data (export)',
    method: 'GET',
    path: () => '/v1/me/data',
    expected: signedIn(200), // only ever the caller's own data
  },
  {
    group: 'member',
    name: 'DELETE /me/data (erasure, by a stand-in)',
    method: 'DELETE',
    path: () => '/v1/me/data',
    as: (actor) => standIn(actor),
    expected: signedIn(202),
  },
  {
    group: 'member',
    name: 'POST /billing-portal',
    method: 'POST',
    path: (w) => `/v1/communities/${w.a}/billing-portal`,
    expected: signedIn(404), // stripe_customer_not_found: nobody here subscribed
  },
  // ── public routes ───────────────────────────────────────────────────────────────
  {
    group: 'public',
    name: 'GET /communities/:c',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}`,
    expected: all(200),
  },
  {
    group: 'public',
    name: 'GET /tiers',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/tiers`,
    expected: all(200),
  },
  {
    group: 'public',
    name: 'GET /proposals',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/proposals`,
    expected: all(200),
  },
  {
    group: 'public',
    name: 'GET /proposals/:id',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/proposals/${w.ids.proposal}`,
    expected: all(200),
  },
  {
    group: 'public',
    name: 'GET /events',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/events`,
    expected: all(200),
  },
  {
    group: 'public',
    name: 'GET /events/:id (public event)',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/events/${w.ids.publicEvent}`,
    expected: all(200),
  },
  {
    group: 'public',
    name: 'GET /events/:id (rank-10 event)',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/events/${w.ids.gatedEvent}`,
    expected: all(404, { member: 200, moderator: 200, admin: 200 }),
  },
  {
    group: 'public',
    name: 'GET /events.ics',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/events.ics`,
    expected: all(200),
  },
  {
    group: 'public',
    name: 'GET /tips (feed)',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/tips`,
    expected: all(200),
  },
  {
    group: 'public',
    name: 'GET /tips/leaderboard',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/tips/leaderboard?period=all`,
    expected: all(200),
  },
  {
    group: 'public',
    name: 'GET /tips/:id',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/tips/${w.ids.tip}`,
    expected: all(200),
  },
  {
    group: 'public',
    name: 'GET /proposals/:id/votes',
    method: 'GET',
    path: (w) => `/v1/communities/${w.a}/proposals/${w.ids.proposal}/votes`,
    expected: all(200),
  },
  {
    group: 'public',
    name: 'GET /proposals/:id/vote-typed-data',
    method: 'GET',
    path: (w) =>
      `/v1/communities/${w.a}/proposals/${w.ids.proposal}/vote-typed-data?voter=0x${'11'.repeat(20)}&choice=1`,
    expected: all(200),
  },
];

let platform: Platform;
let stripe: StripeDouble;
let world: World;
const browsers = {} as Record<Actor, Browser>;
let ownerA: Browser;
let rpcUrl: string;

let ipCounter = 10;
function newBrowser(): Browser {
  ipCounter += 1;
  return platform.browser({ remoteAddress: `10.9.0.${ipCounter}` });
}

async function signedInBrowser(account: PrivateKeyAccount = privateKeyToAccount(generatePrivateKey())) {
  const browser = newBrowser();
  const { memberId } = await signInWithWallet(browser, account);
  return { browser, memberId, address: account.address };
}

async function ok(res: Promise<HttpResponse>, status: number, what: string): Promise<HttpResponse> {
  const r = await res;
  if (r.statusCode !== status) throw new Error(`${what}: ${r.statusCode} ${r.body}`);
  return r;
}

const put = (b: Browser, url: string, body: unknown) => b.request({ method: 'PUT', url, body });

/**
 * A new account standing where `actor` stands, to be erased in its place: signed in or not, with
 * the same role in A (admin, moderator) or a community of its own (otherAdmin). Tier holders get a
 * plain account: a tier says nothing about who may erase themselves.
 */
async function standIn(actor: Actor): Promise<Browser> {
  if (actor === 'anonymous') return newBrowser();
  const { browser, memberId } = await signedInBrowser();
  if (actor === 'admin' || actor === 'moderator') {
    await ok(
      put(ownerA, `/v1/communities/${world.a}/roles/${memberId}`, { role: actor }),
      200,
      'stand-in role',
    );
  }
  if (actor === 'otherAdmin') {
    const slug = `iso-s-${Math.random().toString(36).slice(2, 9)}`;
    await ok(browser.post('/v1/communities', { slug, name: 'Stand-in' }), 201, 'stand-in community');
  }
  return browser;
}

beforeAll(async () => {
  const demo = testInfra().demo;
  if (!demo) throw new Error('the isolation matrix needs the dev chain started by the test run');
  rpcUrl = demo.rpcUrl;
  token = demo.contracts.CommunityToken as Address;
  stripe = await startStripeDouble();
  platform = await startPlatform({
    gatewayEnv: { STRIPE_WEBHOOK_SECRET: stripe.webhookSecret },
    serviceEnv: {
      entitlements: {
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_BASE_URL: `http://${stripe.sdkOptions.host}:${stripe.sdkOptions.port}`,
      },
    },
  });

  const suffix = Math.random().toString(36).slice(2, 9);
  const a = `iso-a-${suffix}`;
  const b = `iso-b-${suffix}`;
  const tipper = await freshAccount(rpcUrl);
  const [owner, admin, moderator, member, below, otherMember, otherAdmin, target, tipperSession] =
    await Promise.all([
      signedInBrowser(),
      signedInBrowser(),
      signedInBrowser(),
      signedInBrowser(),
      signedInBrowser(),
      signedInBrowser(),
      signedInBrowser(),
      signedInBrowser(),
      signedInBrowser(tipper),
    ]);
  ownerA = owner.browser;
  await ok(owner.browser.post('/v1/communities', { slug: a, name: 'Community A' }), 201, 'create A');
  await ok(otherAdmin.browser.post('/v1/communities', { slug: b, name: 'Community B' }), 201, 'create B');
  await ok(
    put(owner.browser, `/v1/communities/${a}/roles/${admin.memberId}`, { role: 'admin' }),
    200,
    'make admin',
  );
  await ok(
    put(owner.browser, `/v1/communities/${a}/roles/${moderator.memberId}`, { role: 'moderator' }),
    200,
    'make moderator',
  );
  const tier = async (browser: Browser, slug: string, name: string, rank: number, addresses: string[]) =>
    (
      await ok(
        browser.post(`/v1/communities/${slug}/tiers`, {
          name,
          rank,
          perks: [{ label: 'secret', url: `https://perks.example.org/${slug}/${name}` }],
          gate: { type: 'allowlist', addresses, emails: [] },
        }),
        201,
        `tier ${name}`,
      )
    ).json<{ tier: { id: string } }>().tier.id;
  const tierGold = await tier(owner.browser, a, 'Gold', 10, [member.address]);
  const tierBasic = await tier(owner.browser, a, 'Basic', 1, [below.address]);
  await tier(otherAdmin.browser, b, 'Gold', 10, [otherMember.address]);
  await ok(member.browser.post(`/v1/communities/${a}/membership/refresh`), 200, 'refresh member');
  await ok(below.browser.post(`/v1/communities/${a}/membership/refresh`), 200, 'refresh below');
  await ok(otherMember.browser.post(`/v1/communities/${b}/membership/refresh`), 200, 'refresh other');

  const createEvent = async (title: string, extra: Record<string, unknown> = {}) =>
    (
      await ok(owner.browser.post(`/v1/communities/${a}/events`, eventBody(title, extra)), 201, 'event')
    ).json<{ event: { id: string } }>().event.id;
  const publicEvent = await createEvent('Open meetup');
  const gatedEvent = await createEvent('Gold only', { minTierRank: 10 });
  await ok(
    put(member.browser, `/v1/communities/${a}/events/${publicEvent}/rsvp`, { status: 'going' }),
    200,
    'rsvp',
  );
  const proposal = (
    await ok(owner.browser.post(`/v1/communities/${a}/proposals`, proposalBody()), 201, 'proposal')
  ).json<{ proposal: { id: string } }>().proposal.id;

  // A real (native ETH) transfer to a member of A, claimed as a tip in A.
  const receipt = await sendAndWait(
    rpcUrl,
    (c) => c.sendTransaction({ to: member.address, value: 10n ** 15n }),
    tipper,
  );
  const tip = (
    await ok(
      tipperSession.browser.post(`/v1/communities/${a}/tips/crypto`, {
        chainId: 31337,
        txHash: receipt.transactionHash,
      }),
      202,
      'tip',
    )
  ).json<{ tip: { id: string } }>().tip.id;

  browsers.anonymous = newBrowser();
  browsers.otherMember = otherMember.browser;
  browsers.belowTier = below.browser;
  browsers.member = member.browser;
  browsers.moderator = moderator.browser;
  browsers.otherAdmin = otherAdmin.browser;
  browsers.admin = admin.browser;
  world = {
    a,
    b,
    ids: {
      target: target.memberId,
      tierGold,
      tierBasic,
      publicEvent,
      gatedEvent,
      proposal,
      tip,
      memberId: member.memberId,
    },
    freshEvent: () => createEvent('To be cancelled'),
  };
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  await stripe?.close();
});

interface Cell {
  route: Route;
  actor: Actor;
  expected: number;
  actual: number;
  ms: number;
  body: string;
}

describe('isolation matrix: routes × actors', () => {
  it('gives every actor exactly the status the policy table names, on every route', async () => {
    const cells: Cell[] = [];
    for (const route of ROUTES) {
      for (const actor of ACTORS) {
        const url = await route.path(world);
        const caller = route.as ? await route.as(actor) : browsers[actor];
        const started = performance.now();
        const res = await caller.request({
          method: route.method,
          url,
          ...(route.body ? { body: route.body(world, actor) } : {}),
        });
        cells.push({
          route,
          actor,
          expected: route.expected[actor],
          actual: res.statusCode,
          ms: performance.now() - started,
          body: res.body.slice(0, 200),
        });
      }
    }
    const mismatches = cells.filter((c) => c.actual !== c.expected);
    const mark = (c: Cell) =>
      c.actual === c.expected ? `${c.actual}` : `**${c.actual}** (want ${c.expected})`;
    const rows = ROUTES.map((route) => [
      route.group,
      `${route.method} ${route.name.replace(/^[A-Z]+ /, '')}`,
      ...ACTORS.map((actor) => {
        const cell = cells.find((c) => c.route === route && c.actor === actor);
        return cell ? mark(cell) : '';
      }),
    ]);
    recordReliability({
      category: 'isolation',
      check: `${ROUTES.length} routes × ${ACTORS.length} actors on community A`,
      tried: cells.length,
      passed: cells.length - mismatches.length,
      lost: 0,
    });
    writeArtifact(
      'isolation-matrix.md',
      [
        '# Isolation matrix',
        '',
        `Generated by tests/reliability/isolation-matrix.test.ts on ${new Date().toISOString()}.`,
        `${cells.length} cells, ${mismatches.length} mismatching. Routes are called on community A.`,
        '',
        markdownTable(['group', 'route', ...ACTORS], rows),
        '',
        '## Actors',
        '',
        ...ACTORS.map((a) => `- **${a}**: ${ACTOR_NOTES[a]}`),
        '',
        ...(mismatches.length
          ? [
              '## Mismatches',
              '',
              ...mismatches.map((c) => `- ${c.route.name} × ${c.actor}: ${c.actual} ${c.body}`),
            ]
          : []),
        '',
      ].join('\n'),
    );
    for (const c of cells.filter((c) => c.actual >= 500)) {
      expect.soft(c.actual, `${c.route.name} × ${c.actor}: ${c.body}`).toBeLessThan(500);
    }
    expect(
      mismatches.map((c) => `${c.route.name} × ${c.actor}: ${c.actual} (want ${c.expected}) ${c.body}`),
    ).toEqual([]);
  });

  it("perk URLs of the gated tier reach only its holders and A's admins", async () => {
    const perkUrl = `https://perks.example.org/${world.a}/Gold`;
    for (const actor of ACTORS) {
      const res = await browsers[actor].get(`/v1/communities/${world.a}/tiers`);
      expect(res.statusCode).toBe(200);
      // Admins manage tiers and see their perks; moderators and everyone else only hold-to-see.
      expect(res.body.includes(perkUrl), actor).toBe(actor === 'member' || actor === 'admin');
    }
  });
});

describe("no id of community A is usable under B's slug", () => {
  it("answers 404 for A's event, proposal, tip and tier ids under B, to B's own admin and members", async () => {
    const { a, b, ids } = world;
    const asB = browsers.otherAdmin;
    const memberOfB = browsers.otherMember;
    const attempts: [string, Browser, RequestOptions][] = [
      ['GET event', memberOfB, { method: 'GET', url: `/v1/communities/${b}/events/${ids.publicEvent}` }],
      [
        'PATCH event',
        asB,
        { method: 'PATCH', url: `/v1/communities/${b}/events/${ids.publicEvent}`, body: { title: 'pwned' } },
      ],
      ['cancel event', asB, { method: 'POST', url: `/v1/communities/${b}/events/${ids.publicEvent}/cancel` }],
      [
        'check-in',
        asB,
        {
          method: 'POST',
          url: `/v1/communities/${b}/events/${ids.publicEvent}/check-in`,
          body: { memberId: ids.memberId },
        },
      ],
      [
        'RSVP',
        memberOfB,
        {
          method: 'PUT',
          url: `/v1/communities/${b}/events/${ids.publicEvent}/rsvp`,
          body: { status: 'going' },
        },
      ],
      ['GET proposal', memberOfB, { method: 'GET', url: `/v1/communities/${b}/proposals/${ids.proposal}` }],
      [
        'vote typed data',
        memberOfB,
        {
          method: 'GET',
          url: `/v1/communities/${b}/proposals/${ids.proposal}/vote-typed-data?voter=0x${'11'.repeat(20)}&choice=1`,
        },
      ],
      [
        'GET votes',
        memberOfB,
        { method: 'GET', url: `/v1/communities/${b}/proposals/${ids.proposal}/votes` },
      ],
      ['GET tip', memberOfB, { method: 'GET', url: `/v1/communities/${b}/tips/${ids.tip}` }],
      [
        'PATCH tier',
        asB,
        { method: 'PATCH', url: `/v1/communities/${b}/tiers/${ids.tierGold}`, body: { name: 'pwned' } },
      ],
      [
        'checkout tier',
        memberOfB,
        { method: 'POST', url: `/v1/communities/${b}/tiers/${ids.tierGold}/checkout` },
      ],
    ];
    const seen: string[] = [];
    for (const [what, browser, request] of attempts) {
      const res = await browser.request(request);
      seen.push(`${what}: ${res.statusCode}`);
      // Never A's data: no A id other than the one in the URL, no A title, no A slug.
      expect(res.body, what).not.toContain(world.a);
      expect(res.body, what).not.toContain('Open meetup');
      expect(res.body, what).not.toContain('Isolation?');
    }
    expect(seen).toEqual(attempts.map(([what]) => `${what}: 404`));

    // B's member list holds no one who is only in A.
    const membersOfB = await asB.get(`/v1/communities/${b}/members`);
    expect(membersOfB.statusCode).toBe(200);
    expect(membersOfB.body).not.toContain(ids.memberId);

    // …and A is untouched.
    const event = await ownerA.get(`/v1/communities/${a}/events/${ids.publicEvent}`);
    expect(event.json()).toMatchObject({ event: { title: 'Open meetup', status: 'scheduled' } });
    const tiers = await ownerA.get(`/v1/communities/${a}/tiers`);
    expect(tiers.json<{ items: { name: string }[] }>().items.map((t) => t.name)).toContain('Gold');
  });
});
