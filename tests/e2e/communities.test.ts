import { randomUUID } from 'node:crypto';
import { communityTokenAbi } from '@coterie/contracts-abi';
import { freshAccount, sendAndWait } from '@coterie/contracts-abi/dev-chain';
import { testInfra } from '@coterie/testing';
import { type Address, getAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../support/browser.ts';
import { type Platform, startPlatform } from '../support/platform.ts';
import { signInWithWallet } from '../support/siwe.ts';

const CTR = 10n ** 18n;
let platform: Platform;
let rpcUrl: string;
let token: Address;

beforeAll(async () => {
  platform = await startPlatform();
  const demo = testInfra().demo;
  if (!demo) throw new Error('these tests need the dev chain started by the test run (CHAINS unset)');
  rpcUrl = demo.rpcUrl;
  token = demo.contracts.CommunityToken as Address;
});
afterAll(() => platform.stop());

async function member(): Promise<{ browser: Browser; memberId: string; address: Address }> {
  const account = await freshAccount(rpcUrl);
  const browser = platform.browser();
  const { memberId } = await signInWithWallet(browser, account);
  return { browser, memberId, address: account.address };
}

const sendCtr = (from: Parameters<typeof sendAndWait>[2], to: Address, amount: bigint) =>
  sendAndWait(
    rpcUrl,
    (c) =>
      c.writeContract({
        address: token,
        abi: communityTokenAbi,
        functionName: 'transfer',
        args: [to, amount],
      }),
    from,
  );

const slug = () => `c-${Math.random().toString(36).slice(2, 10)}`;

describe('communities, tiers and token-gated membership through the gateway', () => {
  it('creates a community (caller is owner), lists it, and refuses a taken slug', async () => {
    const owner = await member();
    const s = slug();
    const created = await owner.browser.post('/v1/communities', {
      slug: s,
      name: 'Builders',
      description: 'Hi',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json<{ community: { slug: string } }>().community.slug).toBe(s);
    const again = await owner.browser.post('/v1/communities', { slug: s, name: 'Other' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('slug_taken');
    const anonymous = platform.browser();
    expect(
      (await anonymous.get(`/v1/communities/${s}`)).json<{ community: { name: string } }>().community.name,
    ).toBe('Builders');
    expect((await anonymous.get('/v1/communities/does-not-exist')).statusCode).toBe(404);
    expect((await anonymous.post('/v1/communities', { slug: slug(), name: 'x' })).statusCode).toBe(401);
  });

  it('grants a token-gated tier once the member holds enough, and shows why', async () => {
    const owner = await member();
    const s = slug();
    await owner.browser.post('/v1/communities', { slug: s, name: 'Holders' });
    const tierRes = await owner.browser.post(`/v1/communities/${s}/tiers`, {
      name: 'Holder',
      description: 'Hold 1 CTR',
      rank: 10,
      perks: [{ label: 'Private chat', url: 'https://chat.example.org/holders' }],
      gate: { type: 'erc20', chainId: 31337, token, min: (1n * CTR).toString() },
    });
    expect(tierRes.statusCode).toBe(201);

    const fan = await member();
    const before = await fan.browser.get(`/v1/communities/${s}/membership`);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({ tier: null, via: [] });
    const hidden = await fan.browser.get(`/v1/communities/${s}/tiers`);
    expect(hidden.json<{ items: { perks: { url?: string }[] }[] }>().items[0]?.perks[0]?.url).toBeUndefined();

    await sendCtr(undefined, fan.address, 2n * CTR);
    const refreshed = await fan.browser.post(`/v1/communities/${s}/membership/refresh`);
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json()).toMatchObject({
      tier: { name: 'Holder', rank: 10 },
      via: [{ type: 'erc20', balance: (2n * CTR).toString(), min: CTR.toString() }],
    });
    const visible = await fan.browser.get(`/v1/communities/${s}/tiers`);
    expect(visible.json<{ items: { perks: { url?: string }[] }[] }>().items[0]?.perks[0]?.url).toBe(
      'https://chat.example.org/holders',
    );

    const members = await owner.browser.get(`/v1/communities/${s}/members`);
    expect(members.statusCode).toBe(200);
    const items = members.json<{ items: { member: { id: string } | null; role: string | null }[] }>().items;
    expect(items.map((i) => i.member?.id)).toEqual(expect.arrayContaining([owner.memberId, fan.memberId]));
    expect((await fan.browser.get(`/v1/communities/${s}/members`)).statusCode).toBe(403);
  });

  it('lists the tier under /v1/me and answers 409 stripe_not_configured for checkout without Stripe keys', async () => {
    const owner = await member();
    const s = slug();
    await owner.browser.post('/v1/communities', { slug: s, name: 'Paid' });
    const tier = await owner.browser.post(`/v1/communities/${s}/tiers`, {
      name: 'Supporter',
      rank: 5,
      price: { value: '500', currency: 'usd', interval: 'month' },
      gate: { any: [{ type: 'subscription' }, { type: 'role', role: 'owner' }] },
    });
    expect(tier.statusCode).toBe(201);
    const tierId = tier.json<{ tier: { id: string } }>().tier.id;

    await owner.browser.post(`/v1/communities/${s}/membership/refresh`);
    const me = await owner.browser.get('/v1/me');
    expect(me.json<{ memberships: unknown[] }>().memberships).toEqual([
      expect.objectContaining({
        community: expect.objectContaining({ slug: s }),
        tier: expect.objectContaining({ name: 'Supporter' }),
      }),
    ]);

    const fan = await member();
    const checkout = await fan.browser.post(`/v1/communities/${s}/tiers/${tierId}/checkout`);
    expect(checkout.statusCode).toBe(409);
    expect(checkout.json().code).toBe('stripe_not_configured');
    const evil = await fan.browser.post(`/v1/communities/${s}/tiers/${tierId}/checkout`, {
      successUrl: 'https://evil.example/steal',
    });
    expect(evil.statusCode).toBe(400);
  });

  it('refuses an unknown chain in a gate and names it', async () => {
    const owner = await member();
    const s = slug();
    await owner.browser.post('/v1/communities', { slug: s, name: 'Chains' });
    const res = await owner.browser.post(`/v1/communities/${s}/tiers`, {
      name: 'Mainnet',
      rank: 1,
      gate: { type: 'erc20', chainId: 1, token, min: '1' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ code: string; detail: string }>()).toMatchObject({ code: 'unknown_chain' });
    expect(res.json<{ detail: string }>().detail).toContain('1');
  });

  it("keeps an admin of one community out of another's admin routes", async () => {
    const a = await member();
    const b = await member();
    const sa = slug();
    const sb = slug();
    await a.browser.post('/v1/communities', { slug: sa, name: 'A' });
    await b.browser.post('/v1/communities', { slug: sb, name: 'B' });
    const attempts = [
      a.browser.patch(`/v1/communities/${sb}`, { name: 'taken over' }),
      a.browser.post(`/v1/communities/${sb}/tiers`, {
        name: 'x',
        rank: 1,
        gate: { type: 'role', role: 'member' },
      }),
      a.browser.request({
        method: 'PUT',
        url: `/v1/communities/${sb}/roles/${a.memberId}`,
        body: { role: 'admin' },
      }),
      a.browser.get(`/v1/communities/${sb}/members`),
    ];
    for (const res of await Promise.all(attempts)) expect([403, 404]).toContain(res.statusCode);
    expect(
      (await b.browser.get(`/v1/communities/${sb}`)).json<{ community: { name: string } }>().community.name,
    ).toBe('B');
  });

  it('refuses a role for an id that is no member, and answers gate addresses EIP-55 checksummed', async () => {
    const owner = await member();
    const s = slug();
    await owner.browser.post('/v1/communities', { slug: s, name: 'Roles' });
    const ghost = await owner.browser.request({
      method: 'PUT',
      url: `/v1/communities/${s}/roles/${randomUUID()}`,
      body: { role: 'member' },
    });
    expect(ghost.statusCode).toBe(404);
    expect(ghost.json().code).toBe('member_not_found');
    expect((await owner.browser.get(`/v1/communities/${s}/members`)).json().items).toHaveLength(1);

    const gate = {
      any: [
        { type: 'erc20', chainId: 31337, token: token.toLowerCase(), min: '1' },
        { type: 'allowlist', addresses: [owner.address.toLowerCase()] },
      ],
    };
    const created = await owner.browser.post(`/v1/communities/${s}/tiers`, {
      name: 'Holders',
      rank: 1,
      gate,
    });
    expect(created.statusCode).toBe(201);
    const checksummed = {
      any: [
        { type: 'erc20', chainId: 31337, token: getAddress(token), min: '1' },
        { type: 'allowlist', addresses: [getAddress(owner.address)] },
      ],
    };
    expect(created.json<{ tier: { gate: unknown } }>().tier.gate).toEqual(checksummed);
    const listed = await owner.browser.get(`/v1/communities/${s}/tiers`);
    expect(listed.json<{ items: { gate: unknown }[] }>().items[0]?.gate).toEqual(checksummed);
  });

  it('refuses a body of the wrong JSON type (400) instead of converting it: money is never a number', async () => {
    const owner = await member();
    const s = slug();
    const wrong = [
      owner.browser.post('/v1/communities', { slug: 12345, name: 'Numbers' }),
      owner.browser.request({ method: 'PATCH', url: '/v1/me', body: { displayName: 42 } }),
      owner.browser.request({ method: 'PATCH', url: '/v1/me', body: { bio: true } }),
    ];
    for (const res of await Promise.all(wrong)) {
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('invalid_request');
    }
    await owner.browser.post('/v1/communities', { slug: s, name: 'Typed' });
    const tier = { name: 'Paid', rank: 1, gate: { type: 'subscription' } };
    const tiers = [
      { ...tier, price: { value: 1500, currency: 'usd', interval: 'month' } },
      { ...tier, rank: '1' },
      { ...tier, perks: { label: 'not a list' } },
    ];
    for (const body of tiers) {
      const res = await owner.browser.post(`/v1/communities/${s}/tiers`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    // Query strings are text on the wire: `limit` is read as the integer it spells.
    expect((await owner.browser.get('/v1/communities?limit=1')).json().items).toHaveLength(1);
  });

  it('pages the tiers by rank with limit and cursor', async () => {
    const owner = await member();
    const s = slug();
    await owner.browser.post('/v1/communities', { slug: s, name: 'Paged' });
    for (const rank of [3, 1, 2]) {
      const res = await owner.browser.post(`/v1/communities/${s}/tiers`, {
        name: `Rank ${rank}`,
        rank,
        gate: { type: 'role', role: 'member' },
      });
      expect(res.statusCode).toBe(201);
    }
    type Page = { items: { rank: number }[]; nextCursor: string | null };
    const first = (await owner.browser.get(`/v1/communities/${s}/tiers?limit=2`)).json<Page>();
    expect(first.items.map((t) => t.rank)).toEqual([1, 2]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (
      await owner.browser.get(`/v1/communities/${s}/tiers?limit=2&cursor=${first.nextCursor}`)
    ).json<Page>();
    expect(second).toMatchObject({ items: [{ rank: 3 }], nextCursor: null });
    const all = (await owner.browser.get(`/v1/communities/${s}/tiers`)).json<Page>();
    expect(all.items).toHaveLength(3);
    expect(all.nextCursor).toBeNull();
    // A cursor no service issued is refused on every list, not read as "from the start".
    for (const list of ['tiers', 'members', 'events', 'tips', 'proposals']) {
      for (const cursor of ['garbage', Buffer.from('["x","y"]').toString('base64url')]) {
        const bad = await owner.browser.get(`/v1/communities/${s}/${list}?cursor=${cursor}`);
        expect(bad.statusCode, `${list} ${cursor}`).toBe(400);
        expect(bad.json().code).toBe('invalid_cursor');
      }
    }
  });
});
