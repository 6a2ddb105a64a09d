import { communityTokenAbi } from '@coterie/contracts-abi';
import { evmMine, freshAccount, sendAndWait } from '@coterie/contracts-abi/dev-chain';
import { eventually, testInfra } from '@coterie/testing';
import { type Address, getAddress, type PrivateKeyAccount } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../support/browser.ts';
import { type Platform, startPlatform } from '../support/platform.ts';
import { signInWithWallet } from '../support/siwe.ts';
import { type StripeDouble, type StripeObject, startStripeDouble } from '../support/stripe-double.ts';
import { stripeInvoice, stripeSubscription } from '../support/stripe-objects.ts';
import { deliverStripeEvent } from '../support/stripe-webhooks.ts';

const CTR = 10n ** 18n;
let platform: Platform;
let stripe: StripeDouble;
let rpcUrl: string;
let token: Address;

beforeAll(async () => {
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
  const demo = testInfra().demo;
  if (!demo) throw new Error('these tests need the dev chain started by the test run (CHAINS unset)');
  rpcUrl = demo.rpcUrl;
  token = getAddress(demo.contracts.CommunityToken);
});
afterAll(async () => {
  await platform.stop();
  await stripe.close();
});

async function deliver(type: string, object: StripeObject): Promise<void> {
  expect(await deliverStripeEvent(platform.gateway, stripe, type, object)).toBe(200);
}

async function member(ctr = 0n): Promise<{ browser: Browser; memberId: string; account: PrivateKeyAccount }> {
  const account = await freshAccount(rpcUrl);
  if (ctr > 0n) {
    await sendAndWait(rpcUrl, (c) =>
      c.writeContract({
        address: token,
        abi: communityTokenAbi,
        functionName: 'transfer',
        args: [account.address, ctr],
      }),
    );
  }
  const browser = platform.browser();
  const { memberId } = await signInWithWallet(browser, account);
  return { browser, memberId, account };
}

describe("a creator's dashboard from real activity through the services", () => {
  it('sums a subscription, a crypto tip, an event, a vote and NPS answers into the summary', async () => {
    const owner = await member();
    const slug = `dash-${Math.random().toString(36).slice(2, 9)}`;
    await owner.browser.post('/v1/communities', { slug, name: 'Dashboard' });
    await owner.browser.post(`/v1/communities/${slug}/stripe/connect`);
    const account = [...stripe.objects.values()].find((o) => o.object === 'account') as StripeObject;
    account.charges_enabled = true;
    await deliver('account.updated', account);
    const tier = await owner.browser.post(`/v1/communities/${slug}/tiers`, {
      name: 'Supporter',
      rank: 5,
      price: { value: '1000', currency: 'usd', interval: 'month' },
      gate: { type: 'subscription' },
    });
    const tierId = tier.json<{ tier: { id: string } }>().tier.id;

    // Alice subscribes (Stripe Checkout → webhooks through the gateway).
    const alice = await member();
    const checkout = await eventually(async () => {
      const res = await alice.browser.post(`/v1/communities/${slug}/tiers/${tierId}/checkout`);
      return res.statusCode === 201 && res.json<{ url: string }>();
    });
    const session = stripe.objects.get(
      /\/pay\/(cs_test_\w+)$/.exec((checkout as { url: string }).url)?.[1] as string,
    ) as StripeObject;
    const subscription = stripe.put(
      stripeSubscription({
        customer: `cus_${alice.memberId.slice(0, 8)}`,
        priceId: (session.line_items as { price: string }[])[0]?.price as string,
        metadata: (session.subscription_data as { metadata: Record<string, string> }).metadata,
        status: 'active',
        amount: 1000,
      }),
    );
    Object.assign(session, {
      status: 'complete',
      customer: subscription.customer,
      subscription: subscription.id,
    });
    await deliver('checkout.session.completed', session);
    await deliver('invoice.paid', stripeInvoice(subscription, 'paid'));
    await eventually(
      async () =>
        (await alice.browser.get(`/v1/communities/${slug}/membership`)).json<{
          tier: { rank: number } | null;
        }>().tier?.rank === 5,
    );

    // Bob tips Alice 2 CTR on chain.
    const bob = await member(5n * CTR);
    const receipt = await sendAndWait(
      rpcUrl,
      (c) =>
        c.writeContract({
          address: token,
          abi: communityTokenAbi,
          functionName: 'transfer',
          args: [alice.account.address, 2n * CTR],
        }),
      bob.account,
    );
    const submitted = await bob.browser.post(`/v1/communities/${slug}/tips/crypto`, {
      chainId: 31337,
      txHash: receipt.transactionHash,
    });
    expect(submitted.statusCode, submitted.body).toBe(202);
    const tipId = submitted.json<{ tip: { id: string } }>().tip.id;
    await evmMine(rpcUrl, 1);
    await eventually(
      async () =>
        (await bob.browser.get(`/v1/communities/${slug}/tips/${tipId}`)).json<{ tip: { status: string } }>()
          .tip.status === 'confirmed',
      { timeoutMs: 15_000 },
    );

    // An event: Alice and Bob go, only Alice is checked in.
    const startsAt = new Date(Date.now() + 86_400_000);
    const created = await owner.browser.post(`/v1/communities/${slug}/events`, {
      title: 'AMA',
      description: 'Ask anything',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
      timezone: 'UTC',
      location: { kind: 'online', url: 'https://meet.example.org/ama' },
    });
    const eventPath = `/v1/communities/${slug}/events/${created.json<{ event: { id: string } }>().event.id}`;
    for (const who of [alice, bob]) {
      const res = await who.browser.request({
        method: 'PUT',
        url: `${eventPath}/rsvp`,
        body: { status: 'going' },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await owner.browser.post(`${eventPath}/check-in`, { memberId: alice.memberId })).statusCode).toBe(
      200,
    );

    // A proposal for supporters: Alice (the one eligible member) votes. Governance fixes the
    // electorate at creation from the membership events it has seen: probes (ending outside the
    // summary's range, so analytics does not count them) show when it knows Alice's tier.
    const propose = async (endsInMs: number, quorum: unknown) => {
      const res = await owner.browser.post(`/v1/communities/${slug}/proposals`, {
        title: 'Next AMA topic?',
        choices: ['Tokens', 'Tooling'],
        type: 'single-choice',
        startsAt: new Date(Date.now() - 1_000).toISOString(),
        endsAt: new Date(Date.now() + endsInMs).toISOString(),
        quorum,
        strategy: { kind: 'tier-member', params: { minRank: 5 } },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ proposal: { id: string; quorumRequired: string } }>().proposal;
    };
    await eventually(
      async () =>
        (await propose(30 * 86_400_000, { kind: 'percent-of-supply', bps: 10_000 })).quorumRequired === '1',
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    const proposal = await propose(3_600_000, { kind: 'absolute', value: '1' });
    const path = `/v1/communities/${slug}/proposals/${proposal.id}`;
    const q = new URLSearchParams({ voter: alice.account.address, choice: '1' });
    const typed = (await alice.browser.get(`${path}/vote-typed-data?${q}`)).json<Record<string, unknown>>();
    const signature = await alice.account.signTypedData(typed as never);
    const vote = await alice.browser.post(`${path}/votes`, { message: typed.message, signature });
    expect(vote.statusCode, vote.body).toBe(201);

    // NPS: a promoter and a detractor.
    expect((await alice.browser.post(`/v1/communities/${slug}/nps`, { score: 9 })).statusCode).toBe(201);
    expect((await owner.browser.post(`/v1/communities/${slug}/nps`, { score: 5 })).statusCode).toBe(201);

    const summary = await eventually(
      async () => {
        // Events count in the range they start in, proposals in the one their voting ends in.
        const range = new URLSearchParams({
          from: new Date(Date.now() - 86_400_000).toISOString(),
          to: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        });
        const res = await owner.browser.get(`/v1/communities/${slug}/analytics/summary?${range}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json<{
          mrr: Record<string, string>;
          tips: { count: number };
          events: { attendanceRate: number | null };
          governance: { participation: number | null };
          nps: number | null;
        }>();
        // Projections land asynchronously: wait until every figure has converged.
        const ready =
          body.mrr.usd === '1000' &&
          body.tips.count === 1 &&
          body.events.attendanceRate === 0.5 &&
          body.governance.participation === 1 &&
          body.nps === 0;
        if (!ready) throw new Error(`not converged yet: ${res.body}`);
        return body;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(summary).toMatchObject({
      mrr: { usd: '1000' },
      arpu: { usd: '1000' },
      tips: { count: 1 },
      events: { attendanceRate: 0.5 },
      governance: { participation: 1 },
      nps: 0,
    });
    expect((await alice.browser.get(`/v1/communities/${slug}/analytics/summary`)).statusCode).toBe(403);
  });
});
