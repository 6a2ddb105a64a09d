import type { Gate } from '@coterie/contracts';
import { getAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from './evaluate-gate.ts';
import { balanceKey, emptyFacts, type Facts, nativeKey, ownerKey } from './facts.ts';

const CHAIN = 31337;
const TOKEN = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const NFT = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
const BADGE = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const ALICE_2 = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const OTHER = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';

const ONE_CTR = 10n ** 18n;
const min = (ctr: bigint) => (ctr * ONE_CTR).toString();
const erc20 = (minimum: string): Gate => ({ type: 'erc20', chainId: CHAIN, token: TOKEN, min: minimum });

function facts(overrides: Partial<Facts> & { ctr?: Record<string, bigint> } = {}): Facts {
  const { ctr = {}, ...rest } = overrides;
  const balances = new Map(rest.balances ?? []);
  for (const [wallet, value] of Object.entries(ctr)) balances.set(balanceKey(CHAIN, TOKEN, wallet), value);
  return emptyFacts({ wallets: [ALICE], ...rest, balances });
}

describe('evaluateGate: thresholds with 18-decimal amounts', () => {
  const gate = erc20(min(100n));
  it.each([
    ['min − 1 wei', 100n * ONE_CTR - 1n, false],
    ['exactly min', 100n * ONE_CTR, true],
    ['min + 1 wei', 100n * ONE_CTR + 1n, true],
  ])('%s', (_label, balance, met) => {
    expect(evaluateGate(gate, facts({ ctr: { [ALICE]: balance } })).met).toBe(met);
  });

  it('beyond 2^53 the comparison stays exact', () => {
    const huge = 2n ** 200n;
    const g = erc20(huge.toString());
    expect(evaluateGate(g, facts({ ctr: { [ALICE]: huge - 1n } })).met).toBe(false);
    expect(evaluateGate(g, facts({ ctr: { [ALICE]: huge } })).met).toBe(true);
  });

  it('adds up holdings across the member’s wallets and names the wallets that hold some', () => {
    const f = facts({ wallets: [ALICE, ALICE_2], ctr: { [ALICE]: 60n * ONE_CTR, [ALICE_2]: 40n * ONE_CTR } });
    const result = evaluateGate(gate, f);
    expect(result).toEqual({
      met: true,
      via: [
        {
          type: 'erc20',
          chainId: CHAIN,
          token: getAddress(TOKEN),
          wallets: [ALICE, ALICE_2],
          balance: min(100n),
          min: min(100n),
        },
      ],
    });
  });

  it('an unknown balance (failed read) is not met, and neither is its negation', () => {
    const unknown = facts({ wallets: [ALICE] });
    expect(evaluateGate(gate, unknown).met).toBe(false);
    expect(evaluateGate({ not: gate }, unknown).met).toBe(false);
    // A zero balance that was read is a fact: its negation holds.
    expect(evaluateGate({ not: gate }, facts({ ctr: { [ALICE]: 0n } })).met).toBe(true);
  });

  it('a known part that reaches min proves the leaf even if another wallet is unknown', () => {
    const f = facts({ wallets: [ALICE, ALICE_2], ctr: { [ALICE]: 100n * ONE_CTR } });
    expect(evaluateGate(gate, f).met).toBe(true);
  });

  it('no wallet, no tokens', () => {
    expect(evaluateGate(gate, facts({ wallets: [] })).met).toBe(false);
  });
});

describe('evaluateGate: nested any / all / not', () => {
  const holds = erc20(min(1n));
  const badge: Gate = { type: 'erc1155', chainId: CHAIN, token: BADGE, tokenId: '7', min: '2' };
  const rich = facts({
    ctr: { [ALICE]: ONE_CTR },
    balances: new Map([[balanceKey(CHAIN, BADGE, ALICE, '7'), 1n]]),
  });

  it('any is met by one branch and lists only matching proofs', () => {
    const result = evaluateGate({ any: [badge, holds] }, rich);
    expect(result.met).toBe(true);
    expect(result.via.map((p) => p.type)).toEqual(['erc20']);
  });

  it('all needs every branch', () => {
    expect(evaluateGate({ all: [badge, holds] }, rich).met).toBe(false);
    const moreBadges = facts({
      ctr: { [ALICE]: ONE_CTR },
      balances: new Map([[balanceKey(CHAIN, BADGE, ALICE, '7'), 2n]]),
    });
    const result = evaluateGate({ all: [badge, holds] }, moreBadges);
    expect(result.met).toBe(true);
    expect(result.via.map((p) => p.type)).toEqual(['erc1155', 'erc20']);
  });

  it('deep nesting: all[any[not badge, role], holds]', () => {
    const gate: Gate = { all: [{ any: [{ not: badge }, { type: 'role', role: 'admin' }] }, holds] };
    expect(evaluateGate(gate, rich).met).toBe(true);
    expect(evaluateGate(gate, facts({ ctr: { [ALICE]: 0n } })).met).toBe(false);
  });

  it('a not never contributes proofs to via', () => {
    const gate: Gate = { all: [{ not: badge }, { not: { not: holds } }] };
    const result = evaluateGate(gate, rich);
    expect(result.met).toBe(true);
    expect(result.via).toEqual([]);
  });

  it('Kleene logic: any(unknown, false) is not met; any(unknown, true) is met', () => {
    const unknownToken: Gate = { type: 'erc20', chainId: CHAIN, token: OTHER, min: '1' };
    expect(evaluateGate({ any: [unknownToken, badge] }, rich).met).toBe(false);
    expect(evaluateGate({ any: [unknownToken, holds] }, rich).met).toBe(true);
    expect(evaluateGate({ not: { all: [unknownToken, badge] } }, rich).met).toBe(true);
  });
});

describe('evaluateGate: NFTs', () => {
  it('specific ERC-721 ids: met when one listed id is owned by a wallet of the member', () => {
    const gate: Gate = { type: 'erc721', chainId: CHAIN, token: NFT, tokenIds: ['7', '8'] };
    const owners = new Map([
      [ownerKey(CHAIN, NFT, '7'), OTHER.toLowerCase()],
      [ownerKey(CHAIN, NFT, '8'), ALICE.toLowerCase()],
    ]);
    const result = evaluateGate(gate, facts({ ownedTokenIds: owners }));
    expect(result.met).toBe(true);
    expect(result.via).toEqual([
      { type: 'erc721', chainId: CHAIN, token: NFT, wallets: [ALICE], tokenIds: ['8'] },
    ]);
    const notOurs = new Map([[ownerKey(CHAIN, NFT, '7'), OTHER.toLowerCase()]]);
    expect(evaluateGate({ ...gate, tokenIds: ['7'] }, facts({ ownedTokenIds: notOurs })).met).toBe(false);
  });

  it('ERC-721 by count uses balanceOf', () => {
    const gate: Gate = { type: 'erc721', chainId: CHAIN, token: NFT, min: '2' };
    const one = new Map([[balanceKey(CHAIN, NFT, ALICE), 1n]]);
    const two = new Map([[balanceKey(CHAIN, NFT, ALICE), 2n]]);
    expect(evaluateGate(gate, facts({ balances: one })).met).toBe(false);
    expect(evaluateGate(gate, facts({ balances: two })).met).toBe(true);
  });

  it('ERC-1155 is per token id', () => {
    const gate: Gate = { type: 'erc1155', chainId: CHAIN, token: BADGE, tokenId: '1', min: '1' };
    const otherId = new Map([[balanceKey(CHAIN, BADGE, ALICE, '2'), 5n]]);
    const rightId = new Map([[balanceKey(CHAIN, BADGE, ALICE, '1'), 1n]]);
    expect(evaluateGate(gate, facts({ balances: otherId })).met).toBe(false);
    expect(evaluateGate(gate, facts({ balances: rightId })).via).toEqual([
      {
        type: 'erc1155',
        chainId: CHAIN,
        token: BADGE,
        tokenId: '1',
        wallets: [ALICE],
        balance: '1',
        min: '1',
      },
    ]);
  });

  it('native balance', () => {
    const gate: Gate = { type: 'native', chainId: CHAIN, min: ONE_CTR.toString() };
    const poor = new Map([[nativeKey(CHAIN, ALICE), ONE_CTR - 1n]]);
    const rich = new Map([[nativeKey(CHAIN, ALICE), ONE_CTR]]);
    expect(evaluateGate(gate, facts({ nativeBalances: poor })).met).toBe(false);
    expect(evaluateGate(gate, facts({ nativeBalances: rich })).met).toBe(true);
  });
});

describe('evaluateGate: allowlist, role, subscription', () => {
  it('allowlist by address in any case, answered with the checksummed address', () => {
    const gate: Gate = { type: 'allowlist', addresses: [ALICE.toUpperCase().replace('0X', '0x')] };
    const result = evaluateGate(gate, facts({ wallets: [ALICE.toLowerCase()] }));
    expect(result).toEqual({ met: true, via: [{ type: 'allowlist', address: ALICE }] });
    expect(evaluateGate(gate, facts({ wallets: [OTHER] })).met).toBe(false);
  });

  it('allowlist by email', () => {
    const gate: Gate = { type: 'allowlist', emails: ['vip@example.com'] };
    const result = evaluateGate(gate, facts({ wallets: [], emails: ['VIP@example.com'] }));
    expect(result).toEqual({ met: true, via: [{ type: 'allowlist', email: 'vip@example.com' }] });
    expect(evaluateGate(gate, facts({ emails: ['someone@example.com'] })).met).toBe(false);
  });

  it('a role gate is met by that role or a higher one', () => {
    const gate: Gate = { type: 'role', role: 'moderator' };
    expect(evaluateGate(gate, facts({ role: 'member' })).met).toBe(false);
    expect(evaluateGate(gate, facts({ role: 'moderator' })).via).toEqual([
      { type: 'role', role: 'moderator' },
    ]);
    expect(evaluateGate(gate, facts({ role: 'owner' })).met).toBe(true);
    expect(evaluateGate(gate, facts({ role: null })).met).toBe(false);
  });

  it('a subscription leaf is met by a subscription to the tier being evaluated', () => {
    const gate: Gate = { type: 'subscription' };
    const f = facts({ subscriptions: { tierIds: new Set(['tier-a']), communityIds: new Set(['c']) } });
    expect(evaluateGate(gate, f, { tierId: 'tier-a' }).via).toEqual([
      { type: 'subscription', tierId: 'tier-a' },
    ]);
    expect(evaluateGate(gate, f, { tierId: 'tier-b' }).met).toBe(false);
    expect(evaluateGate(gate, f, { communityId: 'c' }).met).toBe(true);
  });
});
