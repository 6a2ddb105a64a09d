import { parseEther } from 'viem';
import { beforeAll, describe, expect, it } from 'vitest';
import { devAccount, devTransport } from '../src/dev-chain/index.ts';
import { communityTokenAbi, memberBadgeAbi, membershipPassAbi } from '../src/index.ts';
import { publicClientFor, useDevChain, walletClientFor } from './support/use-dev-chain.ts';

const dev = useDevChain();
const BADGE_ID = 7n;

describe('viem multicall through the installed Multicall3', () => {
  const alice = devAccount(1).address;
  const bob = devAccount(2).address;
  const carol = devAccount(3).address;

  beforeAll(async () => {
    const { rpcUrl, contracts } = dev();
    const owner = walletClientFor(rpcUrl, 0);
    const hashes = [
      await owner.writeContract({
        address: contracts.CommunityToken,
        abi: communityTokenAbi,
        functionName: 'transfer',
        args: [alice, parseEther('250')],
      }),
      await owner.writeContract({
        address: contracts.MembershipPass,
        abi: membershipPassAbi,
        functionName: 'mint',
        args: [alice],
      }),
      await owner.writeContract({
        address: contracts.MembershipPass,
        abi: membershipPassAbi,
        functionName: 'mint',
        args: [bob],
      }),
      await owner.writeContract({
        address: contracts.MemberBadge,
        abi: memberBadgeAbi,
        functionName: 'mint',
        args: [alice, BADGE_ID, 3n],
      }),
      // The wallet must accept ERC-1155 safe mints (it implements ERC1155Holder).
      await owner.writeContract({
        address: contracts.MemberBadge,
        abi: memberBadgeAbi,
        functionName: 'mint',
        args: [contracts.SmartWallet, BADGE_ID, 1n],
      }),
    ];
    for (const hash of hashes) {
      expect((await owner.waitForTransactionReceipt({ hash })).status).toBe('success');
    }
  }, 30_000);

  it('reads ERC-20, ERC-721 and ERC-1155 state in one eth_call, a revert becoming a failure entry', async () => {
    const { rpcUrl, contracts } = dev();
    const methods: string[] = [];
    const transport = devTransport(rpcUrl, {
      onFetchRequest(_request, init) {
        const body = JSON.parse(String(init.body)) as { method: string } | { method: string }[];
        for (const call of Array.isArray(body) ? body : [body]) methods.push(call.method);
      },
    });
    const client = publicClientFor(rpcUrl, transport);
    const token = { address: contracts.CommunityToken, abi: communityTokenAbi } as const;
    const pass = { address: contracts.MembershipPass, abi: membershipPassAbi } as const;
    const badge = { address: contracts.MemberBadge, abi: memberBadgeAbi } as const;

    const results = await client.multicall({
      allowFailure: true,
      contracts: [
        { ...token, functionName: 'balanceOf', args: [alice] },
        { ...token, functionName: 'balanceOf', args: [bob] },
        { ...pass, functionName: 'balanceOf', args: [alice] },
        { ...pass, functionName: 'balanceOf', args: [carol] },
        { ...pass, functionName: 'ownerOf', args: [1n] },
        { ...pass, functionName: 'ownerOf', args: [2n] },
        { ...badge, functionName: 'balanceOf', args: [alice, BADGE_ID] },
        { ...badge, functionName: 'balanceOf', args: [bob, BADGE_ID] },
        { ...badge, functionName: 'balanceOf', args: [contracts.SmartWallet, BADGE_ID] },
        // Pass 999 was never minted: ERC721 reverts with ERC721NonexistentToken.
        { ...pass, functionName: 'ownerOf', args: [999n] },
      ],
    });

    expect(methods).toEqual(['eth_call']);
    expect(results.slice(0, 9)).toEqual([
      { status: 'success', result: parseEther('250') },
      { status: 'success', result: 0n },
      { status: 'success', result: 1n },
      { status: 'success', result: 0n },
      { status: 'success', result: alice },
      { status: 'success', result: bob },
      { status: 'success', result: 3n },
      { status: 'success', result: 0n },
      { status: 'success', result: 1n },
    ]);
    const failed = results[9]!;
    expect(failed.status).toBe('failure');
    expect(failed.error?.message).toMatch(/ERC721NonexistentToken/);
  });

  it('throws instead when allowFailure is false', async () => {
    const { rpcUrl, contracts } = dev();
    await expect(
      publicClientFor(rpcUrl).multicall({
        allowFailure: false,
        contracts: [
          {
            address: contracts.MembershipPass,
            abi: membershipPassAbi,
            functionName: 'ownerOf',
            args: [999n],
          },
        ],
      }),
    ).rejects.toThrow(/ERC721NonexistentToken/);
  });
});
