import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { platformFee } from '../fiat-amounts.ts';
import { accounts } from './accounts.ts';
import { fiatAsset, tokenAsset } from './assets.ts';
import { InMemoryLedger } from './in-memory-ledger.ts';
import { assertBalanced, balancesOf, type Entry, sumsByAsset, UnbalancedTransactionError } from './ledger.ts';
import { cryptoTipEntries, fiatTipEntries, rewardEntries } from './tip-postings.ts';

const COMMUNITY = '0190a000-0000-7000-8000-000000000001';
const MEMBERS = ['0190a000-0000-7000-8000-00000000000a', '0190a000-0000-7000-8000-00000000000b'];
const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

describe('ledger rules', () => {
  it('refuses a transaction that does not sum to zero per asset', () => {
    const usd = fiatAsset('usd');
    expect(() =>
      assertBalanced([
        { account: 'a', asset: usd, amount: 5n },
        { account: 'b', asset: usd, amount: -4n },
      ]),
    ).toThrow(UnbalancedTransactionError);
    // Balanced in total but not per asset: usd and jpy never offset each other.
    expect(() =>
      assertBalanced([
        { account: 'a', asset: usd, amount: 5n },
        { account: 'b', asset: fiatAsset('jpy'), amount: -5n },
      ]),
    ).toThrow(UnbalancedTransactionError);
  });

  it('books a fiat tip as gross from Stripe, net to the recipient, fee to the platform', () => {
    const entries = fiatTipEntries({
      communityId: COMMUNITY,
      to: 'creator',
      currency: 'usd',
      amount: 1_500n,
      fee: 75n,
    });
    expect(entries).toEqual([
      { account: 'external:stripe', asset: 'fiat:usd', amount: -1_500n },
      { account: `community:${COMMUNITY}:treasury`, asset: 'fiat:usd', amount: 1_425n },
      { account: 'platform:fees', asset: 'fiat:usd', amount: 75n },
    ]);
  });

  it('keeps token amounts exact beyond 2^53 (18-decimal base units)', () => {
    const amount = 123_456_789_000_000_000_000_001n;
    const entries = cryptoTipEntries({
      communityId: COMMUNITY,
      to: MEMBERS[0] as string,
      chainId: 31337,
      token: TOKEN,
      amount,
    });
    expect(
      balancesOf(entries).get(`${accounts.member(MEMBERS[0] as string)}|${tokenAsset(31337, TOKEN)}`),
    ).toBe(amount);
  });

  it('reverses with a new transaction, once', () => {
    const ledger = new InMemoryLedger();
    const credit = ledger.post(
      rewardEntries({
        communityId: COMMUNITY,
        memberId: MEMBERS[1] as string,
        asset: 'fiat:eur',
        amount: 10n,
      }),
    );
    expect(ledger.reverse(credit.id)?.reverses).toBe(credit.id);
    expect(ledger.reverse(credit.id)).toBeUndefined();
    expect(ledger.transactions).toHaveLength(2);
    expect(balancesOf(ledger.entries()).size).toBe(0);
  });
});

type Command =
  | { op: 'fiat'; to: number; amount: bigint; currency: string; feeBps: number }
  | { op: 'crypto'; to: number; amount: bigint; token: string }
  | { op: 'reward'; to: number; amount: bigint }
  | { op: 'reverse'; pick: number };

const recipient = fc.integer({ min: -1, max: MEMBERS.length - 1 }); // -1 = creator
const to = (i: number) => (i < 0 ? 'creator' : (MEMBERS[i] as string));

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    op: fc.constant('fiat' as const),
    to: recipient,
    amount: fc.bigInt({ min: 1n, max: 999_999_999_999n }),
    currency: fc.constantFrom('usd', 'jpy', 'eur'),
    feeBps: fc.integer({ min: 0, max: 9_999 }),
  }),
  fc.record({
    op: fc.constant('crypto' as const),
    to: recipient,
    amount: fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }),
    token: fc.constantFrom('native', TOKEN),
  }),
  fc.record({
    op: fc.constant('reward' as const),
    to: fc.nat(MEMBERS.length - 1),
    amount: fc.bigInt({ min: 1n, max: 10n ** 30n }),
  }),
  fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }),
);

describe('ledger invariants (property)', () => {
  it('every transaction sums to zero per asset and balances equal the sum of entries', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        const ledger = new InMemoryLedger();
        const naive = new Map<string, bigint>();
        for (const c of commands) {
          let entries: Entry[] | undefined;
          if (c.op === 'fiat') {
            const fee = platformFee(c.amount, c.feeBps);
            if (fee >= c.amount) continue; // 1 minor unit at a high fee: nothing left to tip
            entries = fiatTipEntries({
              communityId: COMMUNITY,
              to: to(c.to),
              currency: c.currency,
              amount: c.amount,
              fee,
            });
          } else if (c.op === 'crypto') {
            entries = cryptoTipEntries({
              communityId: COMMUNITY,
              to: to(c.to),
              chainId: 31337,
              token: c.token,
              amount: c.amount,
            });
          } else if (c.op === 'reward') {
            entries = rewardEntries({
              communityId: COMMUNITY,
              memberId: to(c.to),
              asset: fiatAsset('usd'),
              amount: c.amount,
            });
          }
          const posted =
            entries !== undefined
              ? ledger.post(entries)
              : ledger.transactions.length > 0
                ? ledger.reverse(
                    (
                      ledger.transactions[c.op === 'reverse' ? c.pick % ledger.transactions.length : 0] as {
                        id: string;
                      }
                    ).id,
                  )
                : undefined;
          for (const e of posted?.entries ?? []) {
            const key = `${e.account}|${e.asset}`;
            naive.set(key, (naive.get(key) ?? 0n) + e.amount);
          }
        }
        for (const txn of ledger.transactions) {
          for (const sum of sumsByAsset(txn.entries).values()) expect(sum).toBe(0n);
        }
        const balances = balancesOf(ledger.entries());
        for (const [key, value] of naive) expect(balances.get(key) ?? 0n).toBe(value);
        // Across every account, each asset nets to zero: nothing is created or destroyed.
        for (const sum of sumsByAsset(ledger.entries()).values()) expect(sum).toBe(0n);
        // A reversed transaction is reversed exactly once, and reversals are never reversed.
        const reversedIds = ledger.transactions.flatMap((t) => (t.reverses ? [t.reverses] : []));
        expect(new Set(reversedIds).size).toBe(reversedIds.length);
        for (const id of reversedIds)
          expect(ledger.transactions.find((t) => t.id === id)?.reverses).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
