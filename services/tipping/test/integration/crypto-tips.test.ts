import { tippingRpc } from '@coterie/contracts';
import { communityTokenAbi, communityTokenBytecode, multicall3Abi } from '@coterie/contracts-abi';
import {
  type DevChainSetup,
  devAccount,
  devChainDefinition,
  devTransport,
  evmMine,
  evmRevert,
  evmSnapshot,
  setupDevChain,
} from '@coterie/contracts-abi/dev-chain';
import { eventually, testInfra } from '@coterie/testing';
import {
  type Address,
  type BaseError,
  createWalletClient,
  encodeFunctionData,
  getAddress,
  type Hash,
  parseEther,
  publicActions,
} from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerOfTip, startTipping, type TippingHarness } from './harness.ts';

const MULTICALL3 = '0xcA11bde05977b3631167028862bE2a173976CA11' as const;
const CONFIRMATIONS = 3;
/** A chain id we configure on a different node (the shared dev chain): "the other chain". */
const OTHER_CHAIN_ID = 1337;

let chain: DevChainSetup;
let h: TippingHarness;
let ctr: Address;
let fake: Address;
const ids: Record<string, string> = {};
let communityId: string;

const alice = devAccount(2);
const bob = devAccount(3);
const carol = devAccount(4);
const treasury = devAccount(5);
const dave = devAccount(6);
const nobody = devAccount(9);
const owner = devAccount(1);

const wallet = (i: number) =>
  createWalletClient({
    account: devAccount(i),
    chain: devChainDefinition(chain.rpcUrl),
    transport: devTransport(chain.rpcUrl),
    pollingInterval: 50,
    cacheTime: 0,
  }).extend(publicActions);

async function mined(hash: Hash): Promise<Hash> {
  await wallet(0).waitForTransactionReceipt({ hash });
  return hash;
}

const sendToken = async (from: number, token: Address, to: Address, amount: bigint) =>
  mined(
    await wallet(from).writeContract({
      address: token,
      abi: communityTokenAbi,
      functionName: 'transfer',
      args: [to, amount],
    }),
  );

/**
 * A transfer that reverts on chain. With a fixed gas limit nothing estimates (and refuses) it;
 * Hardhat mines it and then reports the revert as an RPC error carrying the mined tx's hash.
 */
async function sendRevertingTransfer(from: number, to: Address, amount: bigint): Promise<Hash> {
  try {
    return await mined(
      await wallet(from).writeContract({
        address: ctr,
        abi: communityTokenAbi,
        functionName: 'transfer',
        args: [to, amount],
        gas: 200_000n,
      }),
    );
  } catch (error) {
    const hash = (error as BaseError).walk(
      (e) => typeof (e as { data?: { txHash?: string } }).data?.txHash === 'string',
    ) as { data: { txHash: Hash } } | null;
    if (!hash) throw error;
    return hash.data.txHash;
  }
}

const submit = (actorId: string, txHash: Hash, extra: { chainId?: number; to?: string } = {}) =>
  h.rpc.call(tippingRpc.submitCryptoTip, {
    actorId,
    communityId,
    chainId: extra.chainId ?? 31337,
    txHash,
    ...(extra.to ? { to: extra.to } : {}),
  });

const tipStatus = async (tipId: string) => (await h.rpc.call(tippingRpc.getTip, { communityId, tipId })).tip;

beforeAll(async () => {
  // Its own chain: this file reverts snapshots and counts blocks, which would disturb other files.
  chain = await setupDevChain();
  ctr = chain.contracts.CommunityToken;
  // A look-alike: the same ERC-20 code at another address, emitting identical Transfer events.
  const deploy = await wallet(0).deployContract({ abi: communityTokenAbi, bytecode: communityTokenBytecode });
  fake = getAddress((await wallet(0).waitForTransactionReceipt({ hash: deploy })).contractAddress as Address);
  await sendToken(0, ctr, alice.address, parseEther('1000'));
  await sendToken(0, ctr, treasury.address, parseEther('1000'));
  await sendToken(0, fake, alice.address, parseEther('1000'));

  const shared = JSON.parse(testInfra().chainsJson) as { rpcUrl: string }[];
  h = await startTipping({
    chains: [
      { chainId: 31337, rpcUrl: chain.rpcUrl, confirmations: CONFIRMATIONS },
      { chainId: OTHER_CHAIN_ID, rpcUrl: (shared[0] as { rpcUrl: string }).rpcUrl, confirmations: 1 },
    ],
    tipTokens: [
      { chainId: 31337, token: ctr, symbol: 'CTR', decimals: 18, min: parseEther('0.001').toString() },
      { chainId: 31337, token: 'native', symbol: 'ETH', decimals: 18, min: '1000000000000' },
    ],
  });
  for (const [name, account] of Object.entries({ alice, bob, carol, dave, owner })) {
    ids[name] = (await h.signIn(account)).id;
  }
  communityId = h.createCommunity(ids.owner as string, { chainId: 31337, address: treasury.address }).id;
}, 90_000);

afterAll(async () => {
  await h?.close();
  await chain?.stop();
}, 30_000);

async function confirm(tipId: string) {
  await evmMine(chain.rpcUrl, CONFIRMATIONS - 1);
  return eventually(async () => {
    const tip = await tipStatus(tipId);
    expect(tip.status).toBe('confirmed');
    return tip;
  });
}

describe('crypto tips: accepted', () => {
  it('an ERC-20 tip is pending until the confirmations, then credited once with an event', async () => {
    const hash = await sendToken(2, ctr, bob.address, parseEther('5'));
    const { tip } = await submit(ids.alice as string, hash);
    expect(tip).toMatchObject({
      status: 'pending',
      rail: 'crypto',
      kind: 'tip',
      from: ids.alice,
      to: ids.bob,
    });
    expect(tip.amount).toEqual({
      value: parseEther('5').toString(),
      chainId: 31337,
      token: ctr,
      decimals: 18,
    });
    const confirmed = await confirm(tip.id);
    expect(confirmed.lines).toEqual([{ to: ids.bob, amount: tip.amount, logIndex: 0 }]);
    const ledger = await ledgerOfTip(h.app, tip.id);
    expect(ledger.rows.map((r) => [r.account, r.amount])).toEqual([
      ['external:chain:31337', `-${parseEther('5')}`],
      [`member:${ids.bob}`, parseEther('5').toString()],
    ]);
    const events = await eventually(async () => {
      const all = (await h.published('tipping.tip.received.v1')).filter((e) => e.data.tipId === tip.id);
      expect(all).toHaveLength(1);
      return all;
    });
    expect(events[0]?.data).toMatchObject({
      from: ids.alice,
      to: ids.bob,
      kind: 'tip',
      asset: `erc20:31337:${ctr}`,
      txHash: hash,
      logIndex: 0,
    });
    // Mined and confirmed stays confirmed through later blocks and confirmer passes.
    await evmMine(chain.rpcUrl, 5);
    await new Promise((r) => setTimeout(r, 300));
    expect((await tipStatus(tip.id)).status).toBe('confirmed');
  });

  it('a native tip to the treasury is a tip to the creator', async () => {
    const hash = await mined(
      await wallet(2).sendTransaction({ to: treasury.address, value: parseEther('0.01') }),
    );
    const { tip } = await submit(ids.alice as string, hash);
    expect(tip.to).toBe('creator');
    const confirmed = await confirm(tip.id);
    expect(confirmed.lines).toEqual([
      {
        to: 'creator',
        amount: { value: parseEther('0.01').toString(), chainId: 31337, token: 'native', decimals: 18 },
        logIndex: null,
      },
    ]);
    const ledger = await ledgerOfTip(h.app, tip.id);
    expect(ledger.rows.find((r) => r.amount.startsWith('-') === false)?.account).toBe(
      `community:${communityId}:treasury`,
    );
  });

  it('one tx with two Transfer logs to two members credits both', async () => {
    // A batch through Multicall3: Alice approves it for exactly the sum, then one `aggregate3` tx
    // calls `transferFrom(alice → bob)` and `transferFrom(alice → carol)`. Both Transfer logs are
    // emitted by the token itself with from = Alice; the tx is sent by Alice.
    await mined(
      await wallet(2).writeContract({
        address: ctr,
        abi: communityTokenAbi,
        functionName: 'approve',
        args: [MULTICALL3, parseEther('3')],
      }),
    );
    const call = (to: Address, amount: bigint) => ({
      target: ctr,
      allowFailure: false,
      callData: encodeFunctionData({
        abi: communityTokenAbi,
        functionName: 'transferFrom',
        args: [alice.address, to, amount],
      }),
    });
    const hash = await mined(
      await wallet(2).writeContract({
        address: MULTICALL3,
        abi: multicall3Abi,
        functionName: 'aggregate3',
        args: [[call(bob.address, parseEther('1')), call(carol.address, parseEther('2'))]],
      }),
    );
    const { tip } = await submit(ids.alice as string, hash);
    const confirmed = await confirm(tip.id);
    expect(confirmed.lines.map((l) => [l.to, l.amount.value])).toEqual([
      [ids.bob, parseEther('1').toString()],
      [ids.carol, parseEther('2').toString()],
    ]);
    expect((await ledgerOfTip(h.app, tip.id)).transactionCount).toBe(2);
    await eventually(async () => {
      const events = (await h.published('tipping.tip.received.v1')).filter((e) => e.data.tipId === tip.id);
      expect(events.map((e) => e.data.to).sort()).toEqual([ids.bob, ids.carol].sort());
      return true;
    });
  });
});

describe('crypto tips: the same tx is credited once', () => {
  it('submitted twice and five times concurrently → one tip, one credit', async () => {
    const hash = await sendToken(2, ctr, carol.address, parseEther('7'));
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => submit(ids.alice as string, hash)));
    const again = await submit(ids.alice as string, hash);
    const tipIds = new Set([...concurrent, again].map((r) => r.tip.id));
    expect(tipIds.size).toBe(1);
    const tipId = again.tip.id;
    await confirm(tipId);
    expect(await submit(ids.alice as string, hash)).toMatchObject({
      tip: { id: tipId, status: 'confirmed' },
    });
    expect((await ledgerOfTip(h.app, tipId)).transactionCount).toBe(1);
    // Someone else claiming the same transfer cannot take or duplicate it.
    expect((await submit(ids.dave as string, hash)).tip).toMatchObject({
      status: 'rejected',
      reason: 'not_your_wallet',
    });
  });
});

describe('crypto tips: rejected with a reason', () => {
  it('a reverted tx → tx_failed', async () => {
    // More than Alice holds: the token reverts.
    const hash = await sendRevertingTransfer(2, bob.address, parseEther('1000000'));
    expect((await submit(ids.alice as string, hash)).tip).toMatchObject({
      status: 'rejected',
      reason: 'tx_failed',
    });
  });

  it('a Transfer log from a contract other than the allow-listed token → wrong_token_contract', async () => {
    const hash = await sendToken(2, fake, bob.address, parseEther('5'));
    expect((await submit(ids.alice as string, hash)).tip).toMatchObject({
      status: 'rejected',
      reason: 'wrong_token_contract',
    });
  });

  it('to a wallet of nobody in particular, or not to the intended member → wrong_recipient', async () => {
    const hash = await sendToken(2, ctr, nobody.address, parseEther('5'));
    expect((await submit(ids.alice as string, hash)).tip).toMatchObject({
      status: 'rejected',
      reason: 'wrong_recipient',
    });
    const toBob = await sendToken(2, ctr, bob.address, parseEther('5'));
    expect((await submit(ids.alice as string, toBob, { to: ids.carol as string })).tip).toMatchObject({
      reason: 'wrong_recipient',
    });
  });

  it('less than the token minimum → below_minimum', async () => {
    const hash = await sendToken(2, ctr, bob.address, 1_000n);
    expect((await submit(ids.alice as string, hash)).tip).toMatchObject({
      status: 'rejected',
      reason: 'below_minimum',
    });
  });

  it('a tx on another chain than claimed → wrong_chain', async () => {
    const hash = await sendToken(2, ctr, bob.address, parseEther('5'));
    const { tip } = await submit(ids.alice as string, hash, { chainId: OTHER_CHAIN_ID });
    expect(tip).toMatchObject({ status: 'rejected', reason: 'wrong_chain' });
  });

  it('sent by a wallet that is not the submitter’s → not_your_wallet', async () => {
    const hash = await sendToken(2, ctr, bob.address, parseEther('5'));
    expect((await submit(ids.dave as string, hash)).tip).toMatchObject({
      status: 'rejected',
      reason: 'not_your_wallet',
    });
  });

  it('a hash no chain knows → pending, then tx_not_found', async () => {
    const hash = `0x${'ab'.repeat(32)}` as Hash;
    const { tip } = await submit(ids.alice as string, hash);
    expect(tip.status).toBe('pending');
    await eventually(
      async () =>
        expect(await tipStatus(tip.id)).toMatchObject({ status: 'rejected', reason: 'tx_not_found' }),
      {
        timeoutMs: 10_000,
      },
    );
  });
});

describe('crypto tips: reorgs', () => {
  it('a tip whose block is reverted before its confirmations never confirms', async () => {
    const snapshot = await evmSnapshot(chain.rpcUrl);
    const hash = await sendToken(2, ctr, bob.address, parseEther('9'));
    const { tip } = await submit(ids.alice as string, hash);
    expect(tip.status).toBe('pending');
    await evmRevert(chain.rpcUrl, snapshot);
    await evmMine(chain.rpcUrl, CONFIRMATIONS + 1); // the chain moves on without the tx
    const rejected = await eventually(async () => {
      const t = await tipStatus(tip.id);
      expect(t).toMatchObject({ status: 'rejected', reason: 'reorged' });
      return t;
    });
    expect(rejected.confirmedAt).toBeNull();
    expect((await ledgerOfTip(h.app, tip.id)).transactionCount).toBe(0);
    expect((await h.published('tipping.tip.received.v1')).some((e) => e.data.tipId === tip.id)).toBe(false);
  });
});

describe('admin rewards in crypto', () => {
  it('an owner rewards a member with a tx from the treasury; others may not', async () => {
    const hash = await sendToken(5, ctr, bob.address, parseEther('3'));
    await expect(
      h.rpc.call(tippingRpc.rewardMember, {
        actorId: ids.alice as string,
        communityId,
        to: ids.bob as string,
        chainId: 31337,
        txHash: hash,
      }),
    ).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    const { tip } = await h.rpc.call(tippingRpc.rewardMember, {
      actorId: ids.owner as string,
      communityId,
      to: ids.bob as string,
      chainId: 31337,
      txHash: hash,
      message: 'for the great write-up',
    });
    expect(tip).toMatchObject({ kind: 'reward', from: ids.owner, to: ids.bob, status: 'pending' });
    await confirm(tip.id);
    const ledger = await ledgerOfTip(h.app, tip.id);
    expect(ledger.rows.map((r) => r.account)).toEqual([
      `community:${communityId}:treasury`,
      `member:${ids.bob}`,
    ]);

    // A "reward" paid from the admin's own wallet is not from the treasury.
    h.setRole(communityId, ids.alice as string, 'admin');
    const notTreasury = await sendToken(2, ctr, bob.address, parseEther('3'));
    const r = await h.rpc.call(tippingRpc.rewardMember, {
      actorId: ids.alice as string,
      communityId,
      to: ids.bob as string,
      chainId: 31337,
      txHash: notTreasury,
    });
    expect(r.tip).toMatchObject({ status: 'rejected', reason: 'not_treasury_wallet' });
  });
});
