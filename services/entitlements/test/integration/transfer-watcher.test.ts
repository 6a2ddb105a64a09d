import { type Envelope, entitlementsRpc, type Gate } from '@coterie/contracts';
import type { DevChainSetup } from '@coterie/contracts-abi/dev-chain';
import { evmMine, evmRevert, evmSnapshot, setupDevChain } from '@coterie/contracts-abi/dev-chain';
import { eventually, testInfra } from '@coterie/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CTR, freshWallet, sendAway, sendCommunityToken } from '../factories/dev-chain-wallets.ts';
import {
  type EntitlementsFixture,
  entitlementsFixture,
  newMemberId,
} from '../factories/entitlements-fixture.ts';

const demo = testInfra().demo;
const INTERVAL_MS = 200;

async function gatedCommunity(f: EntitlementsFixture, slug: string, gate: Gate) {
  const owner = newMemberId();
  const { community } = await f.rpc.call(entitlementsRpc.createCommunity, {
    actorId: owner,
    slug,
    name: slug,
    description: '',
  });
  await f.rpc.call(entitlementsRpc.createTier, {
    actorId: owner,
    slug,
    tier: { name: 'Holders', rank: 1, gate },
  });
  return community.id;
}

const membershipEvents = async (f: EntitlementsFixture, memberId: string) =>
  (await f.events())
    .filter((e: Envelope) => e.type.startsWith('entitlements.membership.'))
    .filter((e) => (e.data as { memberId: string }).memberId === memberId)
    .map((e) => e.type);

describe.skipIf(!demo)('transfer-log watcher on the dev chain (no refresh calls)', () => {
  const rpcUrl = demo?.rpcUrl as string;
  const token = demo?.contracts.CommunityToken as string;
  const confirmations = 1;
  let f: EntitlementsFixture;

  beforeAll(async () => {
    const chains = JSON.stringify([{ chainId: 31337, rpcUrl, confirmations }]);
    f = await entitlementsFixture(
      { CHAINS: chains, CHAIN_WATCH_INTERVAL_MS: String(INTERVAL_MS), LOG_LEVEL: 'error' },
      { watchTransfers: true },
    );
  });
  afterAll(async () => {
    await f?.close();
  });

  it('grants within (confirmations + 5) s of a confirmed transfer in, and revokes as fast after one out', async () => {
    const communityId = await gatedCommunity(f, 'watched', {
      type: 'erc20',
      chainId: 31337,
      token,
      min: (10n * CTR).toString(),
    });
    const wallet = await freshWallet(rpcUrl);
    const memberId = newMemberId();
    f.identity.setMember(memberId, { wallets: [wallet.address] });
    const allowed = async () => (await f.rpc.call(entitlementsRpc.check, { memberId, communityId })).allowed;
    const budget = { timeoutMs: (confirmations + 5) * 1000, intervalMs: 50 };

    await sendCommunityToken(rpcUrl, token, wallet.address, 10n * CTR);
    let sent = Date.now();
    await evmMine(rpcUrl, confirmations); // the chain moves on: the transfer's block is now confirmed
    await eventually(allowed, budget);
    const grantMs = Date.now() - sent;

    await sendAway(rpcUrl, token, wallet, 10n * CTR);
    sent = Date.now();
    await evmMine(rpcUrl, confirmations);
    await eventually(async () => !(await allowed()), budget);
    const revokeMs = Date.now() - sent;
    expect(grantMs).toBeLessThan(budget.timeoutMs);
    expect(revokeMs).toBeLessThan(budget.timeoutMs);
    expect(
      await eventually(async () => {
        const types = await membershipEvents(f, memberId);
        return types.length >= 2 && types;
      }),
    ).toEqual(['entitlements.membership.granted', 'entitlements.membership.revoked']);
  });
});

/**
 * `evm_revert` rewinds the whole chain, so this runs on a chain of its own: on the shared one it
 * would undo the transactions of test files running in parallel.
 */
describe.skipIf(!demo)('transfer-log watcher and reorgs (a private dev chain, 3 confirmations)', () => {
  const confirmations = 3;
  let chain: DevChainSetup;
  let f: EntitlementsFixture;

  beforeAll(async () => {
    chain = await setupDevChain({});
    const chains = JSON.stringify([{ chainId: chain.chainId, rpcUrl: chain.rpcUrl, confirmations }]);
    f = await entitlementsFixture(
      { CHAINS: chains, CHAIN_WATCH_INTERVAL_MS: String(INTERVAL_MS), LOG_LEVEL: 'error' },
      { watchTransfers: true },
    );
  });
  afterAll(async () => {
    await f?.close();
    await chain?.stop();
  });

  const cursor = async () =>
    BigInt(
      (await f.runtime.pool.query<{ next_block: string }>('SELECT next_block FROM chain_cursors')).rows[0]
        ?.next_block ?? '0',
    );
  const head = async () => {
    const response = await fetch(chain.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
    });
    return BigInt(((await response.json()) as { result: string }).result);
  };

  it('never grants for a transfer a reorg removed before its confirmations; grants once one is confirmed', async () => {
    const token = chain.contracts.CommunityToken;
    const communityId = await gatedCommunity(f, 'reorged', {
      type: 'erc20',
      chainId: chain.chainId,
      token,
      min: CTR.toString(),
    });
    const wallet = await freshWallet(chain.rpcUrl);
    const memberId = newMemberId();
    f.identity.setMember(memberId, { wallets: [wallet.address] });
    const allowed = async () => (await f.rpc.call(entitlementsRpc.check, { memberId, communityId })).allowed;
    await eventually(async () => (await cursor()) > 0n);

    const snapshot = await evmSnapshot(chain.rpcUrl);
    await sendCommunityToken(chain.rpcUrl, token, wallet.address, CTR);
    const transferBlock = await head();
    await evmMine(chain.rpcUrl, confirmations - 1); // latest − confirmations is the block before it
    await new Promise((r) => setTimeout(r, 5 * INTERVAL_MS));
    expect(await allowed()).toBe(false);
    expect(await cursor()).toBeLessThanOrEqual(transferBlock);

    await evmRevert(chain.rpcUrl, snapshot);
    await evmMine(chain.rpcUrl, confirmations + 3); // the new branch outgrows the old one
    await eventually(async () => (await cursor()) > transferBlock + 1n);
    await new Promise((r) => setTimeout(r, 3 * INTERVAL_MS));
    expect(await allowed()).toBe(false);
    expect(await membershipEvents(f, memberId)).toEqual([]);

    // The same transfer, confirmed this time, is granted by the watcher.
    await sendCommunityToken(chain.rpcUrl, token, wallet.address, CTR);
    await evmMine(chain.rpcUrl, confirmations);
    await eventually(allowed, { timeoutMs: (confirmations + 5) * 1000 });
    expect(
      await eventually(async () => {
        const types = await membershipEvents(f, memberId);
        return types.length > 0 && types;
      }),
    ).toEqual(['entitlements.membership.granted']);
  });
});
