import { randomUUID } from 'node:crypto';
import { type Envelope, entitlementsRpc, type Gate, walletLinkedV1 } from '@coterie/contracts';
import { createNaming, newEvent } from '@coterie/messaging';
import { eventually, testInfra } from '@coterie/testing';
import { jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertSubscription,
  setSubscriptionStatus,
} from '../../src/adapters/postgres/subscriptions-repository.ts';
import { CTR, freshWallet, sendAway, sendCommunityToken } from '../factories/dev-chain-wallets.ts';
import {
  type EntitlementsFixture,
  entitlementsFixture,
  newMemberId,
} from '../factories/entitlements-fixture.ts';

const demo = testInfra().demo;

describe.skipIf(!demo)('token-gated membership on the dev chain', () => {
  const rpcUrl = demo?.rpcUrl as string;
  const token = demo?.contracts.CommunityToken as string;
  const holds = (ctr: bigint): Gate => ({
    type: 'erc20',
    chainId: 31337,
    token,
    min: (ctr * CTR).toString(),
  });
  let f: EntitlementsFixture;

  beforeAll(async () => {
    f = await entitlementsFixture({ LOG_LEVEL: 'error' });
  });
  afterAll(async () => {
    await f?.close();
  });

  async function community(slug: string, tiers: { name: string; rank: number; gate: Gate }[]) {
    const owner = newMemberId();
    const { community: c } = await f.rpc.call(entitlementsRpc.createCommunity, {
      actorId: owner,
      slug,
      name: slug,
      description: '',
    });
    const created = [];
    for (const tier of tiers) {
      created.push((await f.rpc.call(entitlementsRpc.createTier, { actorId: owner, slug, tier })).tier);
    }
    return { community: c, owner, tiers: created };
  }

  async function memberEvents(memberId: string): Promise<Envelope[]> {
    return (await f.events()).filter(
      (e) =>
        e.type.startsWith('entitlements.membership.') &&
        (e.data as { memberId: string }).memberId === memberId,
    );
  }

  it('grants the tier a wallet holds enough for, revokes it when the tokens leave, once each', async () => {
    const { community: c, tiers } = await community('holders', [
      { name: 'Holders', rank: 1, gate: holds(100n) },
      { name: 'Whales', rank: 2, gate: holds(1_000n) },
    ]);
    const wallet = await freshWallet(rpcUrl);
    const memberId = newMemberId();
    f.identity.setMember(memberId, { wallets: [wallet.address] });
    await sendCommunityToken(rpcUrl, token, wallet.address, 150n * CTR);

    const membership = await f.rpc.call(entitlementsRpc.getMembership, { slug: 'holders', memberId });
    expect(membership.tier).toEqual({ id: tiers[0]?.id, name: 'Holders', rank: 1 });
    expect(membership.via).toEqual([
      {
        type: 'erc20',
        chainId: 31337,
        token,
        wallets: [wallet.address],
        balance: (150n * CTR).toString(),
        min: (100n * CTR).toString(),
      },
    ]);
    expect(membership.checkedAt).not.toBeNull();
    expect(Date.parse(membership.validUntil as string)).toBeGreaterThan(
      Date.parse(membership.checkedAt as string),
    );

    // The hot path answers from memory: the database row changing behind its back changes nothing.
    expect(await f.rpc.call(entitlementsRpc.check, { memberId, communityId: c.id })).toEqual({
      allowed: true,
      tier: { id: tiers[0]?.id, name: 'Holders', rank: 1 },
      role: null,
    });
    expect(
      (await f.rpc.call(entitlementsRpc.check, { memberId, communityId: c.id, minRank: 2 })).allowed,
    ).toBe(false);
    await f.runtime.pool.query('UPDATE memberships SET tier_id = NULL WHERE member_id = $1', [memberId]);
    expect((await f.rpc.call(entitlementsRpc.check, { memberId, communityId: c.id })).allowed).toBe(true);
    await f.runtime.pool.query('UPDATE memberships SET tier_id = $2 WHERE member_id = $1', [
      memberId,
      tiers[0]?.id,
    ]);

    // Asking again changes nothing and publishes nothing.
    await f.rpc.call(entitlementsRpc.refreshMembership, { slug: 'holders', memberId });

    await sendAway(rpcUrl, token, wallet, 150n * CTR);
    // Without a refresh (and with re-verification 5 minutes away) the stored answer stands…
    expect((await f.rpc.call(entitlementsRpc.getMembership, { slug: 'holders', memberId })).tier?.name).toBe(
      'Holders',
    );
    // …and a refresh re-reads the chain now.
    const revoked = await f.rpc.call(entitlementsRpc.refreshMembership, { slug: 'holders', memberId });
    expect(revoked).toMatchObject({ tier: null, via: [], validUntil: null });
    await f.rpc.call(entitlementsRpc.refreshMembership, { slug: 'holders', memberId });
    expect(await f.rpc.call(entitlementsRpc.check, { memberId, communityId: c.id })).toEqual({
      allowed: false,
      tier: null,
      role: null,
    });

    const events = (await eventually(async () => {
      const list = await memberEvents(memberId);
      return list.length >= 2 && list;
    })) as Envelope[];
    await new Promise((r) => setTimeout(r, 300)); // room for a wrongly duplicated event to show up
    expect((await memberEvents(memberId)).map((e) => e.type)).toEqual([
      'entitlements.membership.granted',
      'entitlements.membership.revoked',
    ]);
    expect(events[0]?.data).toMatchObject({ communityId: c.id, tier: { name: 'Holders' }, version: 1 });
    expect(events[0]?.communityId).toBe(c.id);
    expect(events[1]?.data).toMatchObject({ previousTier: { name: 'Holders' }, via: [], version: 2 });
  });

  it('fiat or token: the tier holds while either proof holds', async () => {
    const { community: c, tiers } = await community('fiat-or-token', [
      { name: 'Supporters', rank: 1, gate: { any: [{ type: 'subscription' }, holds(100n)] } },
    ]);
    const tierId = tiers[0]?.id as string;
    const wallet = await freshWallet(rpcUrl);
    const memberId = newMemberId();
    f.identity.setMember(memberId, { wallets: [wallet.address] });
    await sendCommunityToken(rpcUrl, token, wallet.address, 100n * CTR);
    const subscriptionId = randomUUID();
    await insertSubscription(f.runtime.pool, {
      id: subscriptionId,
      communityId: c.id,
      tierId,
      memberId,
      status: 'active',
      priceId: 'price_test',
      interval: 'month',
      amount: '1500',
      currency: 'usd',
    });

    const both = await f.rpc.call(entitlementsRpc.refreshMembership, { slug: 'fiat-or-token', memberId });
    expect(both.tier?.id).toBe(tierId);
    expect(both.via.map((p) => p.type)).toEqual(['subscription', 'erc20']);

    await sendAway(rpcUrl, token, wallet, 100n * CTR);
    const fiatOnly = await f.rpc.call(entitlementsRpc.refreshMembership, { slug: 'fiat-or-token', memberId });
    expect(fiatOnly.tier?.id).toBe(tierId);
    expect(fiatOnly.via).toEqual([{ type: 'subscription', tierId }]);

    await sendCommunityToken(rpcUrl, token, wallet.address, 100n * CTR);
    await setSubscriptionStatus(f.runtime.pool, subscriptionId, 'canceled');
    const tokenOnly = await f.rpc.call(entitlementsRpc.refreshMembership, {
      slug: 'fiat-or-token',
      memberId,
    });
    expect(tokenOnly.via.map((p) => p.type)).toEqual(['erc20']);

    await sendAway(rpcUrl, token, wallet, 100n * CTR);
    expect(
      (await f.rpc.call(entitlementsRpc.refreshMembership, { slug: 'fiat-or-token', memberId })).tier,
    ).toBeNull();
    const types = await eventually(async () => {
      const list = (await memberEvents(memberId)).map((e) => e.type);
      return list.length >= 2 && list;
    });
    expect(types).toEqual(['entitlements.membership.granted', 'entitlements.membership.revoked']);
  });

  it('updateTier (owner/admin) publishes tier.updated and re-verifies existing members without a refresh', async () => {
    const {
      community: c,
      owner,
      tiers,
    } = await community('retiered', [{ name: 'Holders', rank: 1, gate: holds(100n) }]);
    const tierId = tiers[0]?.id as string;
    const wallet = await freshWallet(rpcUrl);
    const memberId = newMemberId();
    f.identity.setMember(memberId, { wallets: [wallet.address] });
    await sendCommunityToken(rpcUrl, token, wallet.address, 50n * CTR);
    expect((await f.rpc.call(entitlementsRpc.getMembership, { slug: 'retiered', memberId })).tier).toBeNull();

    await expect(
      f.rpc.call(entitlementsRpc.updateTier, {
        actorId: memberId,
        slug: 'retiered',
        tierId,
        patch: { name: 'x' },
      }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      f.rpc.call(entitlementsRpc.updateTier, {
        actorId: owner,
        slug: 'retiered',
        tierId: randomUUID(),
        patch: { name: 'x' },
      }),
    ).rejects.toMatchObject({ code: 'tier_not_found', status: 404 });
    const { tier } = await f.rpc.call(entitlementsRpc.updateTier, {
      actorId: owner,
      slug: 'retiered',
      tierId,
      patch: { name: 'Small holders', gate: holds(10n) },
    });
    expect(tier).toMatchObject({ id: tierId, name: 'Small holders', rank: 1, gate: holds(10n) });
    await eventually(
      async () => (await f.rpc.call(entitlementsRpc.check, { memberId, communityId: c.id })).allowed,
    );
    const updated = await eventually(async () => {
      const list = (await f.events()).filter(
        (e) => e.type === 'entitlements.tier.updated' && e.communityId === c.id,
      );
      return list.length === 1 && list;
    });
    expect((updated as Envelope[])[0]?.data).toMatchObject({ tier: { id: tierId, name: 'Small holders' } });
  });

  it('without Stripe keys the fiat RPCs answer 409 stripe_not_configured; priced tiers still work by token', async () => {
    const { owner, tiers } = await community('no-stripe', [
      { name: 'Paid or held', rank: 1, gate: { any: [{ type: 'subscription' }, holds(1n)] } },
    ]);
    const tierId = tiers[0]?.id as string;
    const urls = { successUrl: 'https://coterie.test/ok', cancelUrl: 'https://coterie.test/no' };
    await expect(
      f.rpc.call(entitlementsRpc.createCheckout, {
        actorId: newMemberId(),
        slug: 'no-stripe',
        tierId,
        ...urls,
      }),
    ).rejects.toMatchObject({ code: 'stripe_not_configured', status: 409 });
    await expect(
      f.rpc.call(entitlementsRpc.createBillingPortal, {
        actorId: owner,
        slug: 'no-stripe',
        returnUrl: urls.successUrl,
      }),
    ).rejects.toMatchObject({ code: 'stripe_not_configured', status: 409 });
    await expect(
      f.rpc.call(entitlementsRpc.connectStripe, {
        actorId: owner,
        slug: 'no-stripe',
        refreshUrl: urls.successUrl,
        returnUrl: urls.successUrl,
      }),
    ).rejects.toMatchObject({ code: 'stripe_not_configured', status: 409 });
    // Who may not set up payouts is told that first, whatever the operator configured.
    await expect(
      f.rpc.call(entitlementsRpc.connectStripe, {
        actorId: randomUUID(),
        slug: 'no-stripe',
        refreshUrl: urls.successUrl,
        returnUrl: urls.successUrl,
      }),
    ).rejects.toMatchObject({ status: 403 });
    const { tier } = await f.rpc.call(entitlementsRpc.updateTier, {
      actorId: owner,
      slug: 'no-stripe',
      tierId,
      patch: { price: { value: '900', currency: 'eur', interval: 'year' } },
    });
    expect(tier.price).toEqual({ value: '900', currency: 'eur', interval: 'year' });
    const wallet = await freshWallet(rpcUrl);
    const memberId = newMemberId();
    f.identity.setMember(memberId, { wallets: [wallet.address] });
    await sendCommunityToken(rpcUrl, token, wallet.address, CTR);
    expect((await f.rpc.call(entitlementsRpc.getMembership, { slug: 'no-stripe', memberId })).tier?.id).toBe(
      tierId,
    );
  });

  it('a member of A’s tier is not a member of B', async () => {
    const a = await community('iso-a', [{ name: 'A holders', rank: 1, gate: holds(1n) }]);
    const b = await community('iso-b', [
      { name: 'B allowlist', rank: 1, gate: { type: 'allowlist', emails: ['b@example.com'] } },
    ]);
    const wallet = await freshWallet(rpcUrl);
    const memberId = newMemberId();
    f.identity.setMember(memberId, { wallets: [wallet.address], emails: ['a@example.com'] });
    await sendCommunityToken(rpcUrl, token, wallet.address, CTR);
    expect((await f.rpc.call(entitlementsRpc.getMembership, { slug: 'iso-a', memberId })).tier?.name).toBe(
      'A holders',
    );
    expect((await f.rpc.call(entitlementsRpc.getMembership, { slug: 'iso-b', memberId })).tier).toBeNull();
    expect((await f.rpc.call(entitlementsRpc.check, { memberId, communityId: a.community.id })).allowed).toBe(
      true,
    );
    expect((await f.rpc.call(entitlementsRpc.check, { memberId, communityId: b.community.id })).allowed).toBe(
      false,
    );
  });

  it('another replica’s in-memory view follows the events', async () => {
    const replica = await f.startReplica();
    const { community: c } = await community('replicated', [{ name: 'Holders', rank: 1, gate: holds(1n) }]);
    const wallet = await freshWallet(rpcUrl);
    const memberId = newMemberId();
    f.identity.setMember(memberId, { wallets: [wallet.address] });
    await sendCommunityToken(rpcUrl, token, wallet.address, CTR);
    await f.rpc.call(entitlementsRpc.refreshMembership, { slug: 'replicated', memberId });
    // Whichever replica served the refresh, both views hold the grant shortly after.
    for (const app of [f.app, replica]) {
      await eventually(() => app.view.check(c.id, memberId)?.allowed === true);
    }
    await sendAway(rpcUrl, token, wallet, CTR);
    await f.rpc.call(entitlementsRpc.refreshMembership, { slug: 'replicated', memberId });
    for (const app of [f.app, replica]) {
      await eventually(() => app.view.check(c.id, memberId)?.allowed === false);
    }
    // A replica started now loads the same state from the database.
    const late = await f.startReplica();
    expect(late.view.check(c.id, memberId)).toEqual({ allowed: false, tier: null, role: null });
  });

  it('linking a wallet (identity event) re-evaluates the member without a refresh', async () => {
    const { community: c } = await community('linkers', [{ name: 'Holders', rank: 1, gate: holds(10n) }]);
    const memberId = newMemberId();
    f.identity.setMember(memberId, {});
    expect((await f.rpc.call(entitlementsRpc.getMembership, { slug: 'linkers', memberId })).tier).toBeNull();

    const wallet = await freshWallet(rpcUrl);
    await sendCommunityToken(rpcUrl, token, wallet.address, 10n * CTR);
    f.identity.setMember(memberId, { wallets: [wallet.address] });
    const event = newEvent(walletLinkedV1, { memberId, address: wallet.address }, { source: 'identity' });
    const js = jetstream(f.nc);
    const subject = createNaming(f.namespace).subject(walletLinkedV1.subject);
    await js.publish(subject, JSON.stringify(event), { msgID: event.id });
    await eventually(
      async () => (await f.rpc.call(entitlementsRpc.check, { memberId, communityId: c.id })).allowed,
      {
        timeoutMs: 15_000,
      },
    );
    // The same event again (past JetStream's dedupe window) has no second effect.
    await js.publish(subject, JSON.stringify(event));
    await new Promise((r) => setTimeout(r, 500));
    // The new wallet is evaluated in every community with tiers: it qualifies in the other
    // 1-CTR communities of this file too, once each.
    const events = await memberEvents(memberId);
    const here = events.filter((e) => e.communityId === c.id);
    expect(here.map((e) => e.type)).toEqual(['entitlements.membership.granted']);
    expect(here[0]?.causationId).toBe(event.id);
    const perCommunity = new Map<string, number>();
    for (const e of events)
      perCommunity.set(e.communityId as string, (perCommunity.get(e.communityId as string) ?? 0) + 1);
    expect([...perCommunity.values()].every((n) => n === 1)).toBe(true);
  });
});

describe.skipIf(!demo)('periodic re-verification', () => {
  let f: EntitlementsFixture;
  beforeAll(async () => {
    f = await entitlementsFixture({ MEMBERSHIP_REVERIFY_INTERVAL_MS: '1000' });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('revokes a membership whose tokens left, without any refresh', async () => {
    const rpcUrl = demo?.rpcUrl as string;
    const token = demo?.contracts.CommunityToken as string;
    const owner = newMemberId();
    const { community: c } = await f.rpc.call(entitlementsRpc.createCommunity, {
      actorId: owner,
      slug: 'safety-net',
      name: 'Safety net',
      description: '',
    });
    await f.rpc.call(entitlementsRpc.createTier, {
      actorId: owner,
      slug: 'safety-net',
      tier: { name: 'Holders', rank: 1, gate: { type: 'erc20', chainId: 31337, token, min: CTR.toString() } },
    });
    const wallet = await freshWallet(rpcUrl);
    const memberId = newMemberId();
    f.identity.setMember(memberId, { wallets: [wallet.address] });
    await sendCommunityToken(rpcUrl, token, wallet.address, CTR);
    expect(
      (await f.rpc.call(entitlementsRpc.getMembership, { slug: 'safety-net', memberId })).tier,
    ).not.toBeNull();
    await sendAway(rpcUrl, token, wallet, CTR);
    await eventually(
      async () => !(await f.rpc.call(entitlementsRpc.check, { memberId, communityId: c.id })).allowed,
      {
        timeoutMs: 10_000,
      },
    );
  });
});
