import { communityTokenAbi } from '@coterie/contracts-abi';
import { evmMine, freshAccount, sendAndWait } from '@coterie/contracts-abi/dev-chain';
import { eventually, testInfra } from '@coterie/testing';
import pg from 'pg';
import { type Address, getAddress, type PrivateKeyAccount, verifyTypedData } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, setCookies } from '../support/browser.ts';
import { type Platform, startPlatform } from '../support/platform.ts';
import { expectProblem } from '../support/problem.ts';
import { signInWithWallet } from '../support/siwe.ts';

/**
 * Issue #11, personal data: a member with data in every service downloads it (GET /v1/me/data),
 * then erases it (DELETE /v1/me/data). Their personal data goes; ledgers, votes and tallies stay.
 */

const CTR = 10n ** 18n;
let platform: Platform;
let rpcUrl: string;
let token: Address;
let db: pg.Pool;

beforeAll(async () => {
  platform = await startPlatform();
  const demo = testInfra().demo;
  if (!demo) throw new Error('these tests need the dev chain started by the test run (CHAINS unset)');
  rpcUrl = demo.rpcUrl;
  token = getAddress(demo.contracts.CommunityToken);
  db = new pg.Pool({ connectionString: testInfra().databaseUrl, max: 2 });
});
afterAll(async () => {
  await db?.end();
  await platform?.stop();
});

/** A service's schema in this run's namespace (as identity.test.ts reads it). */
const schema = (context: string) => `${platform.namespace}_${context}`;

async function member(
  ctr: bigint,
): Promise<{ browser: Browser; memberId: string; account: PrivateKeyAccount }> {
  const account = await freshAccount(rpcUrl);
  await sendAndWait(rpcUrl, (c) =>
    c.writeContract({
      address: token,
      abi: communityTokenAbi,
      functionName: 'transfer',
      args: [account.address, ctr],
    }),
  );
  const browser = platform.browser();
  const { memberId } = await signInWithWallet(browser, account);
  return { browser, memberId, account };
}

async function ok<T = Record<string, unknown>>(
  res: Promise<{ statusCode: number; body: string; json<J>(): J }>,
  status: number,
): Promise<T> {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return r.json<T>();
}

interface TypedData {
  domain: Record<string, unknown>;
  types: Record<string, { name: string; type: string }[]>;
  primaryType: string;
  message: Record<string, unknown>;
}

async function vote(
  browser: Browser,
  account: PrivateKeyAccount,
  path: string,
  choice: string,
): Promise<void> {
  const q = new URLSearchParams({ voter: account.address, choice, reason: 'Alice votes yes' });
  const data = await ok<TypedData>(browser.get(`${path}/vote-typed-data?${q}`), 200);
  const signature = await account.signTypedData(data as never);
  await ok(browser.post(`${path}/votes`, { message: data.message, signature }), 201);
}

/** The tipping ledger as the database holds it: entry count, unbalanced transactions, per-account sums. */
async function ledger(): Promise<{ entries: number; unbalanced: number; accounts: Record<string, string> }> {
  const s = schema('tipping');
  const entries = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.ledger_entries`);
  const unbalanced = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM (SELECT transaction_id, asset FROM ${s}.ledger_entries
       GROUP BY 1, 2 HAVING sum(amount) <> 0) x`,
  );
  const sums = await db.query<{ account: string; asset: string; total: string }>(
    `SELECT account, asset, sum(amount)::text AS total FROM ${s}.ledger_entries GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  return {
    entries: Number(entries.rows[0]?.n),
    unbalanced: Number(unbalanced.rows[0]?.n),
    accounts: Object.fromEntries(sums.rows.map((r) => [`${r.account} ${r.asset}`, r.total])),
  };
}

interface Export {
  memberId: string;
  identity: {
    member: { displayName: string | null; bio: string | null; erasedAt: string | null };
    wallets: { address: string }[];
    emails: { email: string }[];
    sessions: { id: string; method: string; revokedAt: string | null }[];
  };
  entitlements: {
    communitiesCreated: unknown[];
    roles: { community: { slug: string }; role: string }[];
    memberships: { community: { slug: string }; tier: { name: string } | null }[];
    subscriptions: unknown[];
  };
  tipping: {
    sent: { id: string; message: string | null; status: string }[];
    received: unknown[];
    rewards: { id: string; message: string | null }[];
    balances: { asset: string; value: string }[];
  };
  events: { rsvps: { eventId: string; status: string }[]; calendarFeed: unknown; tickets: unknown[] };
  governance: { votes: { voter: string; reason: string }[]; proposalsAuthored: { id: string }[] };
  analytics: { signInDays: string[]; npsResponses: { score: number; comment: string | null }[] };
}

describe('personal data: export and erasure', () => {
  it('documents both routes in the OpenAPI document', async () => {
    const doc = await ok<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(
      platform.browser().get('/docs/json'),
      200,
    );
    expect(Object.keys(doc.paths['/v1/me/data']?.get?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '4XX', '5XX']),
    );
    expect(Object.keys(doc.paths['/v1/me/data']?.delete?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '4XX', '5XX']),
    );
  });

  it('exports what every service holds, then erases it: ledger balanced, tallies kept, messages scrubbed, session dead', async () => {
    // ── a member (Alice) with data in every service ──────────────────────────────────
    const owner = await member(1n * CTR);
    const alice = await member(2n * CTR);
    const email = `alice-${alice.memberId.slice(0, 8)}@example.org`;
    await ok(
      alice.browser.patch('/v1/me', {
        displayName: 'Alice Example',
        bio: 'Lives in Berlin',
        avatarUrl: 'https://example.org/alice.png',
      }),
      200,
    );
    const mailsBefore = platform.inbox.mails.length;
    await ok(alice.browser.post('/v1/me/emails/start', { email }), 202);
    const code = /code is (\d{6})/.exec((await platform.inbox.waitFor(email, 10_000, mailsBefore)).text)?.[1];
    await ok(alice.browser.post('/v1/me/emails/verify', { email, code }), 201);

    const slug = `md-${Math.random().toString(36).slice(2, 9)}`;
    const c = `/v1/communities/${slug}`;
    await ok(owner.browser.post('/v1/communities', { slug, name: 'Data club' }), 201);
    await ok(
      owner.browser.post(`${c}/tiers`, {
        name: 'Fans',
        rank: 1,
        gate: { type: 'allowlist', addresses: [alice.account.address] },
      }),
      201,
    );
    await ok(
      owner.browser.request({ method: 'PUT', url: `${c}/roles/${alice.memberId}`, body: { role: 'admin' } }),
      200,
    );
    await ok(alice.browser.post(`${c}/membership/refresh`), 200);

    const startsAt = Date.now() + 86_400_000;
    const { event } = await ok<{ event: { id: string } }>(
      owner.browser.post(`${c}/events`, {
        title: 'Picnic',
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(startsAt + 3_600_000).toISOString(),
        timezone: 'UTC',
        location: { kind: 'online', url: 'https://meet.example.org/picnic' },
      }),
      201,
    );
    await ok(
      alice.browser.request({
        method: 'PUT',
        url: `${c}/events/${event.id}/rsvp`,
        body: { status: 'going' },
      }),
      200,
    );
    const feedToken = (await ok<{ token: string }>(alice.browser.post('/v1/me/calendar-token'), 201)).token;

    const tx = await sendAndWait(
      rpcUrl,
      (w) => w.sendTransaction({ to: owner.account.address, value: 10n ** 15n }),
      alice.account,
    );
    const sentTip = (
      await ok<{ tip: { id: string } }>(
        alice.browser.post(`${c}/tips/crypto`, {
          chainId: 31337,
          txHash: tx.transactionHash,
          message: 'Thanks! — Alice',
        }),
        202,
      )
    ).tip;
    const reward = (
      await ok<{ tip: { id: string } }>(
        owner.browser.post(`${c}/rewards`, {
          to: alice.memberId,
          amount: { value: '100', currency: 'usd' },
          message: 'For Alice, our best host',
        }),
        201,
      )
    ).tip;
    await ok(alice.browser.post(`${c}/nps`, { score: 9, comment: 'Alice here: lovely people' }), 201);

    await evmMine(rpcUrl, 2); // balances final at the snapshot block
    const { proposal } = await ok<{ proposal: { id: string } }>(
      alice.browser.post(`${c}/proposals`, {
        title: 'Picnic every month?',
        body: 'Proposed by Alice.',
        choices: ['Yes', 'No'],
        type: 'single-choice',
        startsAt: new Date(Date.now() - 1_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        quorum: { kind: 'absolute', value: '1' },
        strategy: { kind: 'erc20-balance', params: { chainId: 31337, token } },
      }),
      201,
    );
    const p = `${c}/proposals/${proposal.id}`;
    await vote(alice.browser, alice.account, p, '1');
    await vote(owner.browser, owner.account, p, '2');

    // ── export: every service's part, and no secret ──────────────────────────────────
    const exported = await eventually(async () => {
      const res = await alice.browser.get('/v1/me/data');
      expect(res.statusCode, res.body).toBe(200);
      const data = res.json<Export>();
      expect(data.tipping.sent[0]?.status).toBe('confirmed');
      expect(data.analytics.npsResponses).toHaveLength(1);
      expect(data.analytics.signInDays.length).toBeGreaterThan(0);
      return res;
    });
    expect(exported.headers['content-disposition']).toBe(
      `attachment; filename="coterie-data-${alice.memberId}.json"`,
    );
    expect(exported.headers['cache-control']).toBe('no-store');
    const data = exported.json<Export>();
    expect(data).toMatchObject({
      memberId: alice.memberId,
      identity: {
        member: { displayName: 'Alice Example', bio: 'Lives in Berlin', erasedAt: null },
        wallets: [{ address: alice.account.address }],
        emails: [{ email }],
      },
      entitlements: {
        roles: [{ community: { slug }, role: 'admin' }],
        memberships: [{ community: { slug }, tier: { name: 'Fans' } }],
        subscriptions: [],
      },
      tipping: {
        sent: [{ id: sentTip.id, message: 'Thanks! — Alice' }],
        rewards: [{ id: reward.id, message: 'For Alice, our best host' }],
      },
      events: {
        rsvps: [{ eventId: event.id, status: 'going' }],
        calendarFeed: { createdAt: expect.any(String) },
      },
      governance: {
        votes: [{ voter: alice.account.address, reason: 'Alice votes yes' }],
        proposalsAuthored: [{ id: proposal.id }],
      },
      analytics: { npsResponses: [{ score: 9, comment: 'Alice here: lovely people' }] },
    });
    expect(data.identity.sessions.length).toBeGreaterThan(0);
    expect(data.tipping.balances.length).toBeGreaterThan(0);
    const secrets = [alice.browser.session, feedToken, code];
    for (const secret of secrets.filter((s): s is string => Boolean(s)))
      expect(exported.body).not.toContain(secret);
    expect(exported.body).not.toMatch(/token_?hash|code_hash|check_in_code|checkoutUrl|privateKey/i);

    // ── erasure ──────────────────────────────────────────────────────────────────────
    const tallyBefore = (await ok<{ proposal: { tally: unknown } }>(owner.browser.get(p), 200)).proposal
      .tally;
    const boardBefore = await ok(owner.browser.get(`${c}/tips/leaderboard?period=all`), 200);
    const ledgerBefore = await ledger();
    expect(ledgerBefore.unbalanced).toBe(0);
    const oldSession = alice.browser.session as string;

    expectProblem(
      await alice.browser.request({ method: 'DELETE', url: '/v1/me/data', headers: { origin: null } }),
      403,
      'csrf_failed',
    );
    const erased = await alice.browser.request({ method: 'DELETE', url: '/v1/me/data' });
    expect(erased.statusCode, erased.body).toBe(202);
    expect(erased.json()).toEqual({ erasure: { memberId: alice.memberId, requestedAt: expect.any(String) } });
    expect(setCookies(erased).some((l) => /^coterie_session=;/.test(l))).toBe(true);

    // The old session is dead at once (this replica had it cached a moment ago).
    const thief = platform.browser();
    thief.setSession(oldSession);
    expectProblem(await thief.get('/v1/me'), 401, 'unauthenticated');
    expectProblem(await thief.get('/v1/me/data'), 401, 'unauthenticated');

    // The other services scrub what they hold, asynchronously.
    await eventually(async () => {
      const tip = await ok<{ tip: { message: string | null } }>(
        owner.browser.get(`${c}/tips/${sentTip.id}`),
        200,
      );
      expect(tip.tip.message).toBeNull();
      const rewarded = await ok<{ tip: { message: string | null } }>(
        owner.browser.get(`${c}/tips/${reward.id}`),
        200,
      );
      expect(rewarded.tip.message).toBeNull();
      const nps = await db.query<{ score: number; comment: string | null }>(
        `SELECT score, comment FROM ${schema('analytics')}.nps_responses WHERE member_id = $1`,
        [alice.memberId],
      );
      expect(nps.rows).toEqual([{ score: 9, comment: null }]);
      expect((await platform.browser().get(`/v1/me/calendar.ics?token=${feedToken}`)).statusCode).toBe(404);
      return true;
    });

    // Money and votes are intact: same ledger, same leaderboard, same tally, still re-verifiable.
    expect(await ledger()).toEqual(ledgerBefore);
    expect(await ok(owner.browser.get(`${c}/tips/leaderboard?period=all`), 200)).toEqual(boardBefore);
    expect((await ok<{ proposal: { tally: unknown } }>(owner.browser.get(p), 200)).proposal.tally).toEqual(
      tallyBefore,
    );
    const votes = (
      await ok<{ items: { voter: Address; signature: `0x${string}`; typedData: TypedData }[] }>(
        owner.browser.get(`${p}/votes`),
        200,
      )
    ).items;
    expect(votes).toHaveLength(2);
    for (const v of votes) {
      const typed = v.typedData as unknown as Parameters<typeof verifyTypedData>[0];
      expect(await verifyTypedData({ ...typed, address: v.voter, signature: v.signature })).toBe(true);
    }
    const pseudonym = await db.query<{ display_name: string; bio: string | null; avatar_url: string | null }>(
      `SELECT display_name, bio, avatar_url FROM ${schema('identity')}.members WHERE id = $1`,
      [alice.memberId],
    );
    expect(pseudonym.rows).toEqual([{ display_name: 'Deleted member', bio: null, avatar_url: null }]);

    // The same wallet signs in as a brand-new member; the same email is free again.
    const again = platform.browser();
    const { memberId: newId } = await signInWithWallet(again, alice.account);
    expect(newId).not.toBe(alice.memberId);
    const me = await ok<{ member: { displayName: string | null; emails: string[]; wallets: string[] } }>(
      again.get('/v1/me'),
      200,
    );
    expect(me.member).toMatchObject({ displayName: null, emails: [], wallets: [alice.account.address] });
    const fresh = await ok<Export>(again.get('/v1/me/data'), 200);
    expect(fresh.tipping.sent).toEqual([]);
    expect(fresh.governance.proposalsAuthored).toEqual([]);
  }, 90_000);
});
