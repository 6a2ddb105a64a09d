import { communityTokenAbi } from '@coterie/contracts-abi';
import { freshAccount, sendAndWait } from '@coterie/contracts-abi/dev-chain';
import type { App } from '@coterie/gateway';
import { createApp } from '@coterie/gateway';
import { dropNamespace, testInfra, uniqueNamespace } from '@coterie/testing';
import { type Address, getAddress, type PrivateKeyAccount } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, createBrowser } from '../support/browser.ts';
import { APP_ORIGIN, gatewayConfig, silentLogger, startServices } from '../support/platform.ts';
import { expectProblem } from '../support/problem.ts';
import { signInWithWallet } from '../support/siwe.ts';

const CTR = 10n ** 18n;

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
  namespace = uniqueNamespace('e2e');
  services = await startServices(namespace);
  gateway = createApp(gatewayConfig(namespace), { logger: silentLogger });
  await gateway.fastify.ready();
});
afterAll(async () => {
  await gateway?.stop();
  await services?.stopAll();
  await dropNamespace(namespace);
});

async function member(ctr = 0n): Promise<{ browser: Browser; memberId: string; account: PrivateKeyAccount }> {
  const account = await freshAccount(rpcUrl);
  if (ctr > 0n) await transferCtr(undefined, account.address, ctr);
  const browser = createBrowser(gateway as App, { origin: APP_ORIGIN });
  const { memberId } = await signInWithWallet(browser, account);
  return { browser, memberId, account };
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

const newSlug = () => `pol-${Math.random().toString(36).slice(2, 10)}`;

describe('tipping policy through the gateway', () => {
  it('defaults to anyone; the owner may restrict it to members; others may not', async () => {
    const owner = await member();
    const stranger = await member();
    const slug = newSlug();
    const created = await owner.browser.post('/v1/communities', { slug, name: 'Open' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ community: { slug, tipping: 'anyone' } });

    const patched = await owner.browser.patch(`/v1/communities/${slug}`, { tipping: 'members' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ community: { tipping: 'members' } });
    const read = await stranger.browser.get(`/v1/communities/${slug}`);
    expect(read.json()).toMatchObject({ community: { tipping: 'members' } });

    expect((await stranger.browser.patch(`/v1/communities/${slug}`, { tipping: 'anyone' })).statusCode).toBe(
      403,
    );
    expectProblem(
      await owner.browser.patch(`/v1/communities/${slug}`, { tipping: 'friends' }),
      400,
      'invalid_request',
    );
  });

  it('refuses a non-member’s crypto tip with 403 tipping_members_only until the owner grants a role', async () => {
    const owner = await member();
    const slug = newSlug();
    const created = await owner.browser.post('/v1/communities', {
      slug,
      name: 'Members tip',
      tipping: 'members',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ community: { tipping: 'members' } });

    const tipper = await member(5n * CTR);
    const recipient = await member();
    const receipt = await transferCtr(tipper.account, recipient.account.address, 2n * CTR);
    const submit = () =>
      tipper.browser.post(`/v1/communities/${slug}/tips/crypto`, {
        chainId: 31337,
        txHash: receipt.transactionHash,
      });

    expectProblem(await submit(), 403, 'tipping_members_only');

    const granted = await owner.browser.request({
      method: 'PUT',
      url: `/v1/communities/${slug}/roles/${tipper.memberId}`,
      body: { role: 'member' },
    });
    expect(granted.statusCode, granted.body).toBe(200);

    const accepted = await submit();
    expect(accepted.statusCode, accepted.body).toBe(202);
    expect(accepted.json()).toMatchObject({
      tip: { from: tipper.memberId, to: recipient.memberId, rail: 'crypto' },
    });
  });
});
