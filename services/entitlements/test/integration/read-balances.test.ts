import { randomBytes } from 'node:crypto';
import { chainsEnvSchema } from '@coterie/chain';
import { testInfra } from '@coterie/testing';
import { getAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { createBalanceReader } from '../../src/adapters/chain/read-balances.ts';
import { balanceKey, nativeKey, ownerKey, requiredReads } from '../../src/domain/gates/index.ts';
import {
  CTR,
  freshWallet,
  mintBadge,
  mintPassTo,
  sendCommunityToken,
} from '../factories/dev-chain-wallets.ts';

const demo = testInfra().demo;
const randomAddress = () => getAddress(`0x${randomBytes(20).toString('hex')}`);
const randomId = () => BigInt(`0x${randomBytes(6).toString('hex')}`) + 1_000_000n;

describe.skipIf(!demo)('readBalances on the dev chain', () => {
  const rpcUrl = demo?.rpcUrl as string;
  const { CommunityToken, MembershipPass, MemberBadge } =
    demo?.contracts ?? ({} as NonNullable<typeof demo>['contracts']);
  const chains = chainsEnvSchema.parse(testInfra().chainsJson);

  it('reads ERC-20, ERC-721 (count and owner), ERC-1155 and native balances; a reverting token is unknown', async () => {
    const wallet = (await freshWallet(rpcUrl)).address;
    const passId = randomId();
    const badgeId = randomId();
    await sendCommunityToken(rpcUrl, CommunityToken, wallet, 42n * CTR + 1n);
    await mintPassTo(rpcUrl, MembershipPass, wallet, passId);
    await mintBadge(rpcUrl, MemberBadge, wallet, badgeId, 3n);
    const notAContract = randomAddress();
    const reads = requiredReads(
      [
        { type: 'erc20', chainId: 31337, token: CommunityToken, min: '1' },
        { type: 'erc721', chainId: 31337, token: MembershipPass, min: '1' },
        {
          type: 'erc721',
          chainId: 31337,
          token: MembershipPass,
          tokenIds: [passId.toString(), '999999999999999'],
        },
        { type: 'erc1155', chainId: 31337, token: MemberBadge, tokenId: badgeId.toString(), min: '1' },
        { type: 'native', chainId: 31337, min: '1' },
        // ERC-1155 has no balanceOf(address): the call reverts. A random address has no code at all.
        { type: 'erc20', chainId: 31337, token: MemberBadge, min: '1' },
        { type: 'erc20', chainId: 31337, token: notAContract, min: '1' },
        { type: 'erc20', chainId: 999, token: CommunityToken, min: '1' },
      ],
      [wallet],
    );
    const facts = await createBalanceReader(chains)(reads);
    expect(facts.balances.get(balanceKey(31337, CommunityToken, wallet))).toBe(42n * CTR + 1n);
    expect(facts.balances.get(balanceKey(31337, MembershipPass, wallet))).toBe(1n);
    expect(facts.ownedTokenIds.get(ownerKey(31337, MembershipPass, passId.toString()))).toBe(
      wallet.toLowerCase(),
    );
    expect(facts.balances.get(balanceKey(31337, MemberBadge, wallet, badgeId.toString()))).toBe(3n);
    expect(facts.nativeBalances.get(nativeKey(31337, wallet))).toBeGreaterThan(0n);
    expect([...facts.unknown].sort()).toEqual(
      [
        ownerKey(31337, MembershipPass, '999999999999999'),
        balanceKey(31337, MemberBadge, wallet),
        balanceKey(31337, notAContract, wallet),
        balanceKey(999, CommunityToken, wallet),
      ].sort(),
    );
  });

  it('batches 1,200 reads into 3 multicalls', async () => {
    let calls = 0;
    const reader = createBalanceReader(chains, { onRequest: () => (calls += 1) });
    const wallets = Array.from({ length: 1_200 }, randomAddress);
    const reads = requiredReads(
      [{ type: 'erc20', chainId: 31337, token: CommunityToken, min: '1' }],
      wallets,
    );
    const facts = await reader(reads);
    expect(facts.unknown.size).toBe(0);
    expect(facts.balances.size).toBe(1_200);
    expect([...facts.balances.values()].every((v) => v === 0n)).toBe(true);
    expect(calls).toBe(3);
  });

  it('an unreachable node makes every fact unknown, not an error', async () => {
    const reader = createBalanceReader(
      [{ ...(chains[0] as (typeof chains)[0]), rpcUrl: 'http://127.0.0.1:9' }],
      {
        timeoutMs: 1_000,
      },
    );
    const reads = requiredReads([{ type: 'native', chainId: 31337, min: '1' }], [randomAddress()]);
    const facts = await reader(reads);
    expect(facts.unknown.size).toBe(1);
  });
});
