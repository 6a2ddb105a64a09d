import { communityTokenAbi } from '@coterie/contracts-abi';
import { evmMine, freshAccount, sendAndWait } from '@coterie/contracts-abi/dev-chain';
import type { App } from '@coterie/gateway';
import { createApp } from '@coterie/gateway';
import { dropNamespace, eventually, testInfra, uniqueNamespace } from '@coterie/testing';
import { type Address, getAddress, type PrivateKeyAccount } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createBrowser } from '../support/browser.ts';
import { APP_ORIGIN, gatewayConfig, silentLogger, startServices } from '../support/platform.ts';
import { expectProblem } from '../support/problem.ts';
import { signInWithWallet } from '../support/siwe.ts';

const CTR = 10n ** 18n;
/**
 * Tipping waits for this many confirmations here (the dev chain's default is 1, which would
 * confirm a mined tx at once): the test sees `pending`, then mines the rest.
 */
const CONFIRMATIONS = 3;

let namespace: string;
let services: Awaited<ReturnType<typeof startServices>> | undefined;
let gateway: App | undefined;
let rpcUrl: string;
let token: Address;

beforeAll(async () => {
  const infra = testInfra();
  if (!infra.demo) throw new Error('these tests need the dev chain started by the test run (CHAINS unset)');
  rpcUrl = infra.demo.rpcUrl;
  token = getAddress(infra.demo.contracts.CommunityToken);
  const chains = (JSON.parse(infra.chainsJson) as object[]).map((c) => ({
    ...c,
    confirmations: CONFIRMATIONS,
  }));
  namespace = uniqueNamespace('e2e');
  // TIP_TOKENS (native ETH and the demo CTR) come from the harness; only the confirmations differ.
  services = await startServices(namespace, { env: { tipping: { CHAINS: JSON.stringify(chains) } } });
  gateway = createApp(gatewayConfig(namespace), { logger: silentLogger });
  await gateway.fastify.ready();
});
afterAll(async () => {
  await gateway?.stop();
  await services?.stopAll();
  await dropNamespace(namespace);
});

const browser = () => createBrowser(gateway as App, { origin: APP_ORIGIN });

async function member(ctr = 0n): Promise<{ browser: Browser; memberId: string; account: PrivateKeyAccount }> {
  const account = await freshAccount(rpcUrl);
  if (ctr > 0n) await transferCtr(undefined, account.address, ctr);
  const client = browser();
  const { memberId } = await signInWithWallet(client, account);
  return { browser: client, memberId, account };
}

const transferCtr = (from: PrivateKeyAccount | undefined, to: Address, amount: bigint) =>
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

async function community(owner: Browser): Promise<string> {
  const slug = `tip-${Math.random().toString(36).slice(2, 10)}`;
  expect((await owner.post('/v1/communities', { slug, name: 'Tipped' })).statusCode).toBe(201);
  return slug;
}

interface TipBody {
  tip: { id: string; status: string; reason?: string };
}

describe('tips through the gateway', () => {
  it('credits a CTR transfer between members once confirmed, idempotently, in the feed and leaderboard', async () => {
    const owner = await member();
    const slug = await community(owner.browser);
    const tipper = await member(5n * CTR);
    const recipient = await member();
    const receipt = await transferCtr(tipper.account, recipient.account.address, 2n * CTR);
    const tips = `/v1/communities/${slug}/tips`;

    const submitted = await tipper.browser.post(`${tips}/crypto`, {
      chainId: 31337,
      txHash: receipt.transactionHash,
      message: 'Great talk',
    });
    expect(submitted.statusCode, submitted.body).toBe(202);
    const { tip } = submitted.json<TipBody>();
    expect(tip.status).toBe('pending');
    const again = await tipper.browser.post(`${tips}/crypto`, {
      chainId: 31337,
      txHash: receipt.transactionHash,
    });
    expect(again.statusCode).toBe(202);
    expect(again.json<TipBody>().tip.id).toBe(tip.id);

    await evmMine(rpcUrl, CONFIRMATIONS - 1);
    const confirmed = await eventually(async () => {
      const res = await browser().get(`${tips}/${tip.id}`);
      expect(res.json<TipBody>().tip.status).toBe('confirmed');
      return res.json();
    });
    const amount = { value: (2n * CTR).toString(), chainId: 31337, token, decimals: 18 };
    expect(confirmed).toMatchObject({
      tip: { from: tipper.memberId, to: recipient.memberId, amount, message: 'Great talk', rail: 'crypto' },
    });

    const feed = await browser().get(tips);
    expect(feed.statusCode).toBe(200);
    expect(feed.json<{ items: { id: string }[] }>().items.map((t) => t.id)).toEqual([tip.id]);

    const board = await browser().get(`${tips}/leaderboard?period=week`);
    expect(board.statusCode, board.body).toBe(200);
    expect(board.json()).toMatchObject({
      period: 'week',
      assets: [
        {
          asset: { type: 'token', chainId: 31337, token },
          recipients: [{ to: recipient.memberId, total: { value: amount.value }, count: 1 }],
          tippers: [{ memberId: tipper.memberId, total: { value: amount.value }, count: 1 }],
        },
      ],
    });
  });

  it('refuses a chain id no service can store with 400 invalid_request, not a database error', async () => {
    const owner = await member();
    const slug = await community(owner.browser);
    const tipper = await member();
    const res = await tipper.browser.post(`/v1/communities/${slug}/tips/crypto`, {
      chainId: 2 ** 31,
      txHash: `0x${'cd'.repeat(32)}`,
    });
    expectProblem(res, 400, 'invalid_request');
  });

  it('refuses a fiat tip with 409 stripe_not_configured when the operator has no Stripe keys', async () => {
    const owner = await member();
    const slug = await community(owner.browser);
    const fan = await member();
    const res = await fan.browser.post(
      `/v1/communities/${slug}/tips`,
      { to: 'creator', amount: { value: '500', currency: 'usd' } },
      { 'idempotency-key': 'tip-once' },
    );
    expectProblem(res, 409, 'stripe_not_configured');
    expect((await browser().post(`/v1/communities/${slug}/tips`, { to: 'creator' })).statusCode).toBe(401);
  });
});
