import { communityTokenAbi } from '@coterie/contracts-abi';
import { evmMine, freshAccount, sendAndWait } from '@coterie/contracts-abi/dev-chain';
import { testInfra } from '@coterie/testing';
import { type Address, type PrivateKeyAccount, verifyTypedData } from 'viem';
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

async function holder(amount: bigint): Promise<{ account: PrivateKeyAccount; browser: Browser }> {
  const account = await freshAccount(rpcUrl);
  if (amount > 0n) {
    await sendAndWait(rpcUrl, (c) =>
      c.writeContract({
        address: token,
        abi: communityTokenAbi,
        functionName: 'transfer',
        args: [account.address, amount],
      }),
    );
  }
  const browser = platform.browser();
  await signInWithWallet(browser, account);
  return { account, browser };
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
): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  const q = new URLSearchParams({ voter: account.address, choice, reason: 'because' });
  const typed = await browser.get(`${path}/vote-typed-data?${q}`);
  expect(typed.statusCode).toBe(200);
  const data = typed.json<TypedData>();
  const signature = await account.signTypedData(data as never);
  const res = await browser.post(`${path}/votes`, { message: data.message, signature });
  return { statusCode: res.statusCode, body: res.json() };
}

describe('proposals and signed votes through the gateway', () => {
  it('tallies token-weighted votes at the snapshot, replaces a vote and lists re-verifiable signatures', async () => {
    const owner = await holder(0n);
    const s = `gov-${Math.random().toString(36).slice(2, 9)}`;
    expect((await owner.browser.post('/v1/communities', { slug: s, name: 'Co-owned' })).statusCode).toBe(201);
    const alice = await holder(3n * CTR);
    const bob = await holder(1n * CTR);
    await evmMine(rpcUrl, 2); // their balances are final at the snapshot (latest − confirmations)

    const now = Date.now();
    const created = await owner.browser.post(`/v1/communities/${s}/proposals`, {
      title: 'Fund the meetup?',
      body: 'A **yes** funds it.',
      choices: ['Yes', 'No'],
      type: 'single-choice',
      startsAt: new Date(now - 1_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      quorum: { kind: 'absolute', value: (2n * CTR).toString() },
      strategy: { kind: 'erc20-balance', params: { chainId: 31337, token } },
    });
    expect(created.statusCode).toBe(201);
    const proposal = created.json<{ proposal: { id: string; snapshotBlock: string } }>().proposal;
    expect(BigInt(proposal.snapshotBlock)).toBeGreaterThan(0n);
    const path = `/v1/communities/${s}/proposals/${proposal.id}`;

    expect(await vote(alice.browser, alice.account, path, '1')).toMatchObject({
      statusCode: 201,
      body: { vote: { voter: alice.account.address, power: (3n * CTR).toString() } },
    });
    expect((await vote(bob.browser, bob.account, path, '2')).statusCode).toBe(201);
    // Bob changes his mind before the end: the later vote replaces the earlier one.
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await vote(bob.browser, bob.account, path, '1')).statusCode).toBe(201);

    const read = await alice.browser.get(path);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      proposal: {
        status: 'active',
        quorumReached: true,
        tally: { scores: [(4n * CTR).toString(), '0'], votes: 2 },
        myVote: { voter: alice.account.address },
      },
    });

    const votes = await platform.browser().get(`${path}/votes`);
    const items = votes.json<{
      items: { voter: Address; signature: `0x${string}`; typedData: TypedData }[];
    }>().items;
    expect(items).toHaveLength(2);
    for (const v of items) {
      const typed = v.typedData as unknown as Parameters<typeof verifyTypedData>[0];
      expect(await verifyTypedData({ ...typed, address: v.voter, signature: v.signature })).toBe(true);
    }
  });

  it('refuses a vote without voting power and a proposal from a plain member', async () => {
    const owner = await holder(0n);
    const s = `gov-${Math.random().toString(36).slice(2, 9)}`;
    await owner.browser.post('/v1/communities', { slug: s, name: 'Strict' });
    const nobody = await holder(0n);
    const now = Date.now();
    const body = {
      title: 'Rename?',
      choices: ['Yes', 'No'],
      type: 'single-choice',
      startsAt: new Date(now - 1_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      quorum: { kind: 'absolute', value: '1' },
      strategy: { kind: 'erc20-balance', params: { chainId: 31337, token } },
    };
    expect((await nobody.browser.post(`/v1/communities/${s}/proposals`, body)).statusCode).toBe(403);
    const created = await owner.browser.post(`/v1/communities/${s}/proposals`, body);
    const id = created.json<{ proposal: { id: string } }>().proposal.id;
    const res = await vote(nobody.browser, nobody.account, `/v1/communities/${s}/proposals/${id}`, '1');
    expect(res.statusCode).toBe(403);
    expect(res.body.code).toBe('no_voting_power');
  });
});
