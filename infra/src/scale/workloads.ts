import { randomBytes } from 'node:crypto';
import { communityTokenAbi } from '@coterie/contracts-abi';
import { evmMine, sendAndWait } from '@coterie/contracts-abi/dev-chain';
import type { Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { StripeDouble, StripeObject } from '../../../tests/support/stripe-double.ts';
import { stripeInvoice, stripeSubscription } from '../../../tests/support/stripe-objects.ts';
import { type GatewayResponse, gatewayApi } from '../support/gateway-api.ts';
import { type SignedIn, signInOverHttp } from '../support/siwe-client.ts';

const TOKEN_UNIT = 10n ** 18n;
const TIP_MINOR = 500;
const TIER_PRICE_MINOR = 900;

/** The dev chain and its community token: voting power is a token balance at a snapshot block. */
export interface ScaleChain {
  rpcUrl: string;
  communityToken: Address;
}

/** What the load was told "yes" to; each must have exactly one effect afterwards. */
export interface Accepted {
  tips: string[];
  votes: { proposalId: string; voter: string }[];
  subscriptions: { stripeSubscriptionId: string; memberId: string }[];
}

export interface Workloads {
  communityId: string;
  tip(): Promise<void>;
  vote(): Promise<void>;
  subscribe(): Promise<void>;
  accepted: Accepted;
}

export interface WorkloadOptions {
  gatewayUrl: string;
  stripe: StripeDouble;
  chain: ScaleChain;
  owner: SignedIn;
  slug: string;
  /** Voters funded on chain; with `proposals` they make voters × proposals first votes. */
  voters: number;
  proposals: number;
}

type Json = Record<string, unknown>;

function expectStatus(what: string, res: GatewayResponse, status: number): Json {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

/**
 * Sets up what tips, votes and subscriptions need in the owner's community (a Stripe account that
 * takes charges, a subscription tier, funded voters and open token-weighted proposals), and gives
 * one operation per kind, each the way a user (or Stripe) does it over the public API:
 * - tip: `POST …/tips` (tipping creates the PaymentIntent at Stripe), then Stripe sends the
 *   signed `payment_intent.succeeded` and retries it until the gateway answers 2xx;
 * - vote: typed data from the gateway, signed by the voter's wallet, `POST …/votes` (each
 *   voter votes once on each proposal);
 * - subscribe: a new member signs in, starts Checkout for the tier, pays; Stripe sends
 *   `checkout.session.completed` and `invoice.paid`, retried likewise.
 */
export async function prepareWorkloads(options: WorkloadOptions): Promise<Workloads> {
  const { gatewayUrl, stripe, owner, slug } = options;
  const api = gatewayApi(gatewayUrl);
  const community = expectStatus('community', await api('GET', `/v1/communities/${slug}`), 200).community as {
    id: string;
  };

  // Stripe: the creator's connected account may take charges.
  const accountsBefore = new Set([...stripe.objects.values()].filter((o) => o.object === 'account'));
  expectStatus(
    'stripe connect',
    await api('POST', `/v1/communities/${slug}/stripe/connect`, undefined, owner.cookie),
    200,
  );
  const account = [...stripe.objects.values()].find((o) => o.object === 'account' && !accountsBefore.has(o));
  if (!account) throw new Error('stripe connect created no account at the double');
  account.charges_enabled = true;
  stripe.emit('account.updated', account);
  const tier = expectStatus(
    'tier',
    await api(
      'POST',
      `/v1/communities/${slug}/tiers`,
      {
        name: 'Supporter',
        rank: 5,
        price: { value: String(TIER_PRICE_MINOR), currency: 'usd', interval: 'month' },
        gate: { type: 'subscription' },
      },
      owner.cookie,
    ),
    201,
  ).tier as { id: string };

  // Voting power is fixed at the proposal's snapshot block: fund the voters first.
  const voters = Array.from({ length: options.voters }, () => privateKeyToAccount(generatePrivateKey()));
  for (const voter of voters) {
    await sendAndWait(options.chain.rpcUrl, (client) =>
      client.writeContract({
        address: options.chain.communityToken,
        abi: communityTokenAbi,
        functionName: 'transfer',
        args: [voter.address, TOKEN_UNIT],
      }),
    );
  }
  await evmMine(options.chain.rpcUrl, 2);
  const proposals: string[] = [];
  for (let i = 0; i < options.proposals; i++) {
    const created = expectStatus(
      'proposal',
      await api(
        'POST',
        `/v1/communities/${slug}/proposals`,
        {
          title: `Scale proposal ${i + 1}`,
          choices: ['Yes', 'No'],
          type: 'single-choice',
          startsAt: new Date(Date.now() - 1_000).toISOString(),
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
          quorum: { kind: 'absolute', value: '1' },
          strategy: {
            kind: 'erc20-balance',
            params: { chainId: 31337, token: options.chain.communityToken },
          },
        },
        owner.cookie,
      ),
      201,
    );
    proposals.push((created.proposal as { id: string }).id);
  }

  // The tipper, and a wait until entitlements has applied `account.updated` (tips answer 409
  // `stripe_account_not_ready` before).
  const tipper = await signInOverHttp(gatewayUrl, privateKeyToAccount(generatePrivateKey()));
  const createTip = () =>
    api(
      'POST',
      `/v1/communities/${slug}/tips`,
      { to: 'creator', amount: { value: String(TIP_MINOR), currency: 'usd' } },
      tipper.cookie,
      { 'idempotency-key': randomBytes(12).toString('hex') },
    );
  const readyBy = Date.now() + 30_000;
  for (;;) {
    const res = await createTip();
    if (res.status === 201) break;
    if (Date.now() > readyBy) expectStatus('first tip', res, 201);
    await new Promise((r) => setTimeout(r, 200));
  }

  const accepted: Accepted = { tips: [], votes: [], subscriptions: [] };
  let nextVote = 0;
  const ballots = proposals.flatMap((proposalId) => voters.map((voter) => ({ proposalId, voter })));

  return {
    communityId: community.id,
    accepted,
    async tip() {
      const tip = expectStatus('tip', await createTip(), 201).tip as { id: string };
      const pi = [...stripe.objects.values()].find(
        (o) => o.object === 'payment_intent' && (o.metadata as Json).tip_id === tip.id,
      );
      if (!pi) throw new Error(`no PaymentIntent at the double for tip ${tip.id}`);
      // The tipper pays: Stripe tells the gateway (and retries until it answers 2xx).
      stripe.emit('payment_intent.succeeded', { ...pi, status: 'succeeded', amount_received: pi.amount });
      accepted.tips.push(tip.id);
    },
    async vote() {
      const ballot = ballots[nextVote++];
      if (!ballot) throw new Error('every voter has voted on every proposal: raise `proposals`');
      const { proposalId, voter } = ballot;
      const path = `/v1/communities/${slug}/proposals/${proposalId}`;
      const query = new URLSearchParams({ voter: voter.address, choice: '1' });
      const typed = expectStatus('typed data', await api('GET', `${path}/vote-typed-data?${query}`), 200);
      const signature = await voter.signTypedData(typed as never);
      expectStatus('vote', await api('POST', `${path}/votes`, { message: typed.message, signature }), 201);
      accepted.votes.push({ proposalId, voter: voter.address.toLowerCase() });
    },
    async subscribe() {
      const fan = await signInOverHttp(gatewayUrl, privateKeyToAccount(generatePrivateKey()));
      const checkout = expectStatus(
        'checkout',
        await api('POST', `/v1/communities/${slug}/tiers/${tier.id}/checkout`, undefined, fan.cookie),
        201,
      );
      const sessionId = /\/pay\/(cs_test_\w+)$/.exec(String(checkout.url))?.[1];
      const session = sessionId ? stripe.objects.get(sessionId) : undefined;
      if (!session) throw new Error(`no Checkout session at the double for ${String(checkout.url)}`);
      // The member pays: Stripe makes the subscription and tells the gateway (retrying as it does).
      const subscription: StripeObject = stripe.put(
        stripeSubscription({
          customer: `cus_${fan.memberId.replaceAll('-', '').slice(0, 14)}`,
          priceId: (session.line_items as { price: string }[])[0]?.price as string,
          metadata: (session.subscription_data as { metadata: Record<string, string> }).metadata,
          status: 'active',
          amount: TIER_PRICE_MINOR,
        }),
      );
      Object.assign(session, {
        status: 'complete',
        payment_status: 'paid',
        customer: subscription.customer,
        subscription: subscription.id,
      });
      accepted.subscriptions.push({ stripeSubscriptionId: subscription.id, memberId: fan.memberId });
      stripe.emit('checkout.session.completed', session);
      stripe.emit('invoice.paid', stripeInvoice(subscription, 'paid'));
    },
  };
}
