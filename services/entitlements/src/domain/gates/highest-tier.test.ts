import type { Gate } from '@coterie/contracts';
import { describe, expect, it } from 'vitest';
import { balanceKey, emptyFacts } from './facts.ts';
import { type GatedTier, highestTier } from './highest-tier.ts';

const CHAIN = 31337;
const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const ONE = 10n ** 18n;

const holds = (ctr: bigint): Gate => ({
  type: 'erc20',
  chainId: CHAIN,
  token: TOKEN,
  min: (ctr * ONE).toString(),
});
const tiers: GatedTier[] = [
  { id: 'bronze', name: 'Bronze', rank: 1, gate: holds(1n) },
  { id: 'gold', name: 'Gold', rank: 3, gate: holds(100n) },
  { id: 'silver', name: 'Silver', rank: 2, gate: { any: [{ type: 'subscription' }, holds(10n)] } },
];

const withBalance = (ctr: bigint) =>
  emptyFacts({ wallets: [ALICE], balances: new Map([[balanceKey(CHAIN, TOKEN, ALICE), ctr * ONE]]) });

describe('highestTier', () => {
  it('the highest-ranked met tier wins, whatever the order tiers come in', () => {
    expect(highestTier(tiers, withBalance(150n)).tier).toEqual({ id: 'gold', name: 'Gold', rank: 3 });
    expect(highestTier(tiers, withBalance(50n)).tier?.id).toBe('silver');
    expect(highestTier(tiers, withBalance(5n)).tier?.id).toBe('bronze');
    expect(highestTier(tiers, withBalance(0n))).toEqual({ tier: null, via: [] });
  });

  it('via lists the proofs of the tier held, not of lower tiers', () => {
    const result = highestTier(tiers, withBalance(150n));
    expect(result.via).toEqual([
      {
        type: 'erc20',
        chainId: CHAIN,
        token: TOKEN,
        wallets: [ALICE],
        balance: (150n * ONE).toString(),
        min: (100n * ONE).toString(),
      },
    ]);
  });

  it('a subscription to a tier meets that tier’s subscription leaf only', () => {
    const subscribed = emptyFacts({
      subscriptions: { tierIds: new Set(['silver']), communityIds: new Set() },
    });
    const result = highestTier(tiers, subscribed);
    expect(result.tier?.id).toBe('silver');
    expect(result.via).toEqual([{ type: 'subscription', tierId: 'silver' }]);
  });

  it('an unread balance proves nothing: the proven tier is kept and the result marked undetermined', () => {
    const unread = emptyFacts({ wallets: [ALICE] });
    expect(highestTier(tiers, unread)).toEqual({ tier: null, via: [], undetermined: true });
    const subscribed = emptyFacts({
      wallets: [ALICE],
      subscriptions: { tierIds: new Set(['silver']), communityIds: new Set() },
    });
    // Silver is proven by the subscription; Gold (above it) could not be decided.
    expect(highestTier(tiers, subscribed)).toMatchObject({ tier: { id: 'silver' }, undetermined: true });
    // Nothing ranks above Gold: a proven Gold is determined even if other reads failed.
    expect(highestTier(tiers, withBalance(150n)).undetermined).toBeUndefined();
  });
});
