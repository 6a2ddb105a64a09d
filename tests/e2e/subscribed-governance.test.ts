import { freshAccount } from '@coterie/contracts-abi/dev-chain';
import { eventually, testInfra } from '@coterie/testing';
import type { PrivateKeyAccount } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../support/browser.ts';
import { type Platform, startPlatform } from '../support/platform.ts';
import { signInWithWallet } from '../support/siwe.ts';
import { type StripeDouble, type StripeObject, startStripeDouble } from '../support/stripe-double.ts';
import { stripeInvoice, stripeSubscription } from '../support/stripe-objects.ts';
import { deliverStripeEvent } from '../support/stripe-webhooks.ts';

let platform: Platform;
let stripe: StripeDouble;
let rpcUrl: string;

beforeAll(async () => {
  stripe = await startStripeDouble();
  const stripeEnv = {
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_BASE_URL: `http://${stripe.sdkOptions.host}:${stripe.sdkOptions.port}`,
  };
  platform = await startPlatform({
    gatewayEnv: { STRIPE_WEBHOOK_SECRET: stripe.webhookSecret },
    serviceEnv: { entitlements: stripeEnv },
  });
  rpcUrl = testInfra().demo?.rpcUrl ?? '';
});
afterAll(async () => {
  await platform.stop();
  await stripe.close();
});

const deliver = (type: string, object: StripeObject) =>
  deliverStripeEvent(platform.gateway, stripe, type, object);

async function signedIn(): Promise<{ browser: Browser; account: PrivateKeyAccount }> {
  const account = await freshAccount(rpcUrl);
  const browser = platform.browser();
  await signInWithWallet(browser, account);
  return { browser, account };
}

describe('fiat members govern too', () => {
  it('a Stripe-subscribed member with a linked wallet votes with power 1 on a tier-member proposal', async () => {
    const owner = await signedIn();
    const slug = `sub-${Math.random().toString(36).slice(2, 9)}`;
    expect((await owner.browser.post('/v1/communities', { slug, name: 'Supporters club' })).statusCode).toBe(
      201,
    );
    const connect = await owner.browser.post(`/v1/communities/${slug}/stripe/connect`);
    expect(connect.statusCode).toBe(200);
    const account = [...stripe.objects.values()].find((o) => o.object === 'account') as StripeObject;
    account.charges_enabled = true;
    expect(await deliver('account.updated', account)).toBe(200);

    const tierRes = await owner.browser.post(`/v1/communities/${slug}/tiers`, {
      name: 'Supporter',
      rank: 5,
      price: { value: '900', currency: 'usd', interval: 'month' },
      gate: { type: 'subscription' },
    });
    expect(tierRes.statusCode).toBe(201);
    const tierId = tierRes.json<{ tier: { id: string } }>().tier.id;

    const fan = await signedIn();
    const checkout = await eventually(async () => {
      const res = await fan.browser.post(`/v1/communities/${slug}/tiers/${tierId}/checkout`);
      return res.statusCode === 201 && res.json<{ url: string }>();
    });
    const sessionId = /\/pay\/(cs_test_\w+)$/.exec((checkout as { url: string }).url)?.[1] as string;
    const session = stripe.objects.get(sessionId) as StripeObject;
    const priceId = (session.line_items as { price: string }[])[0]?.price as string;
    const subscription = stripe.put(
      stripeSubscription({
        customer: `cus_${fan.account.address.slice(2, 10)}`,
        priceId,
        metadata: (session.subscription_data as { metadata: Record<string, string> }).metadata,
        status: 'active',
        amount: 900,
      }),
    );
    Object.assign(session, {
      status: 'complete',
      payment_status: 'paid',
      customer: subscription.customer,
      subscription: subscription.id,
    });
    expect(await deliver('checkout.session.completed', session)).toBe(200);
    expect(await deliver('invoice.paid', stripeInvoice(subscription, 'paid'))).toBe(200);
    await eventually(async () => {
      const res = await fan.browser.get(`/v1/communities/${slug}/membership`);
      return res.json<{ tier: { rank: number } | null }>().tier?.rank === 5;
    });

    // Governance learns tier holders from entitlements' events; the electorate is fixed when a
    // proposal is created, so open one once the membership has reached it.
    const vote = await eventually(
      async () => {
        const created = await owner.browser.post(`/v1/communities/${slug}/proposals`, {
          title: 'Next meetup city?',
          choices: ['Lisbon', 'Berlin'],
          type: 'single-choice',
          startsAt: new Date(Date.now() - 1_000).toISOString(),
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
          quorum: { kind: 'absolute', value: '1' },
          strategy: { kind: 'tier-member', params: { minRank: 5 } },
        });
        const id = created.json<{ proposal: { id: string } }>().proposal.id;
        const path = `/v1/communities/${slug}/proposals/${id}`;
        const q = new URLSearchParams({ voter: fan.account.address, choice: '2' });
        const typed = (await fan.browser.get(`${path}/vote-typed-data?${q}`)).json<Record<string, unknown>>();
        const signature = await fan.account.signTypedData(typed as never);
        const res = await fan.browser.post(`${path}/votes`, { message: typed.message, signature });
        return res.statusCode === 201 && res.json<{ vote: { power: string } }>();
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect((vote as { vote: { power: string } }).vote.power).toBe('1');
  });
});
