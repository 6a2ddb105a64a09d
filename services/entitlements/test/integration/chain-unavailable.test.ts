import { entitlementsRpc } from '@coterie/contracts';
import { eventually } from '@coterie/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainFacts, ReadBalances } from '../../src/adapters/chain/read-balances.ts';
import { reverifyDueMemberships } from '../../src/application/reverify-due-memberships.ts';
import {
  type EntitlementsFixture,
  entitlementsFixture,
  newMemberId,
} from '../factories/entitlements-fixture.ts';

const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const WALLET = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const INTERVAL_MS = 60_000;

/** The chain as entitlements reads it: every wallet holds 5 tokens, or (down) nothing is known. */
let down = false;
const readBalances: ReadBalances = async (reads) => {
  const facts: ChainFacts = {
    balances: new Map(),
    nativeBalances: new Map(),
    ownedTokenIds: new Map(),
    unknown: new Set(),
  };
  for (const read of reads) {
    if (down) facts.unknown.add(read.key);
    else if (read.kind === 'balance') facts.balances.set(read.key, 5n);
  }
  return facts;
};
let clock = Date.now();
let f: EntitlementsFixture;

beforeAll(async () => {
  f = await entitlementsFixture(
    { LOG_LEVEL: 'error', MEMBERSHIP_REVERIFY_INTERVAL_MS: String(INTERVAL_MS) },
    { readBalances, now: () => new Date(clock) },
  );
});
afterAll(() => f?.close());

describe('a chain that cannot be read: unknown neither grants nor revokes', () => {
  it('refresh answers 503 chain_unavailable and writes nothing; re-verification keeps the last verified tier', async () => {
    const owner = newMemberId();
    const slug = 'unreadable';
    const { community } = await f.rpc.call(entitlementsRpc.createCommunity, {
      actorId: owner,
      slug,
      name: slug,
      description: '',
    });
    await f.rpc.call(entitlementsRpc.createTier, {
      actorId: owner,
      slug,
      tier: { name: 'Holders', rank: 1, gate: { type: 'erc20', chainId: 31337, token: TOKEN, min: '1' } },
    });
    const holder = newMemberId();
    const newcomer = newMemberId();
    f.identity.setMember(holder, { wallets: [WALLET] });
    f.identity.setMember(newcomer, { wallets: [WALLET] });
    const view = (memberId: string) => f.rpc.call(entitlementsRpc.getMembership, { slug, memberId });
    expect(
      (await f.rpc.call(entitlementsRpc.refreshMembership, { slug, memberId: holder })).tier,
    ).toMatchObject({
      name: 'Holders',
    });

    down = true;
    await expect(
      f.rpc.call(entitlementsRpc.refreshMembership, { slug, memberId: holder }),
    ).rejects.toMatchObject({
      code: 'chain_unavailable',
      status: 503,
    });
    await expect(
      f.rpc.call(entitlementsRpc.refreshMembership, { slug, memberId: newcomer }),
    ).rejects.toMatchObject({ code: 'chain_unavailable' });
    // Never evaluated and not stored as holding nothing: still unevaluated.
    expect(await view(newcomer)).toMatchObject({ tier: null, checkedAt: null });
    expect(
      await f.rpc.call(entitlementsRpc.check, { memberId: newcomer, communityId: community.id }),
    ).toMatchObject({ allowed: false });

    // The holder's re-verification comes due while the chain is unreadable: kept, not revoked.
    clock += 2 * INTERVAL_MS;
    const deps = f.app.deps;
    if (!deps) throw new Error('the app has not started');
    expect(await reverifyDueMemberships(deps, { batchSize: 10, leaseMs: INTERVAL_MS })).toBeGreaterThan(0);
    expect((await view(holder)).tier).toMatchObject({ name: 'Holders' });
    expect(
      await f.rpc.call(entitlementsRpc.check, { memberId: holder, communityId: community.id }),
    ).toMatchObject({
      allowed: true,
    });

    down = false;
    expect(
      (await f.rpc.call(entitlementsRpc.refreshMembership, { slug, memberId: newcomer })).tier,
    ).toMatchObject({
      name: 'Holders',
    });
    // Events leave through the outbox after the commit: wait for the newcomer's to arrive.
    const types = await eventually(async () => {
      const seen = (await f.events())
        .filter((e) => e.type.startsWith('entitlements.membership.'))
        .map((e) => [(e.data as { memberId: string }).memberId === holder ? 'holder' : 'newcomer', e.type]);
      expect(seen).toHaveLength(2);
      return seen;
    });
    expect(types).toEqual([
      ['holder', 'entitlements.membership.granted'],
      ['newcomer', 'entitlements.membership.granted'],
    ]);
  });
});
