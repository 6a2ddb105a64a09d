import { getAddress, isAddress, parseEther } from 'viem';
import { describe, expect, it } from 'vitest';
import { devAccount, devChainDefinition } from '../src/dev-chain/index.ts';
import {
  communityTokenAbi,
  MULTICALL3_ADDRESS,
  memberBadgeAbi,
  membershipPassAbi,
  multicall3DeployedBytecode,
  smartWalletAbi,
} from '../src/index.ts';
import { publicClientFor, useDevChain, walletClientFor } from './support/use-dev-chain.ts';

const dev = useDevChain();

describe('setupDevChain', () => {
  it('serves chain 31337 with a viem chain definition pointing at Multicall3', async () => {
    const { rpcUrl, chainId } = dev();
    const chain = devChainDefinition(rpcUrl);
    expect(chainId).toBe(31337);
    expect(chain.id).toBe(31337);
    expect(chain.contracts?.multicall3?.address).toBe(MULTICALL3_ADDRESS);
    expect(await publicClientFor(rpcUrl).getChainId()).toBe(31337);
  });

  it('installs Multicall3 runtime code at the canonical address', async () => {
    const code = await publicClientFor(dev().rpcUrl).getCode({ address: MULTICALL3_ADDRESS });
    expect(code).toBe(multicall3DeployedBytecode);
  });

  it('deploys every demo contract at a checksummed address with code', async () => {
    const { rpcUrl, contracts } = dev();
    const client = publicClientFor(rpcUrl);
    expect(Object.keys(contracts).sort()).toEqual([
      'CommunityToken',
      'MemberBadge',
      'MembershipPass',
      'SmartWallet',
    ]);
    for (const address of Object.values(contracts)) {
      expect(isAddress(address)).toBe(true);
      expect(address).toBe(getAddress(address));
      expect((await client.getCode({ address }))?.length).toBeGreaterThan(2);
    }
  });

  it('mints 1,000,000 CTR to the deployer and makes it the owner', async () => {
    const { rpcUrl, contracts } = dev();
    const client = publicClientFor(rpcUrl);
    const token = { address: contracts.CommunityToken, abi: communityTokenAbi } as const;
    const deployer = devAccount(0).address;

    expect(await client.readContract({ ...token, functionName: 'name' })).toBe('Coterie Token');
    expect(await client.readContract({ ...token, functionName: 'symbol' })).toBe('CTR');
    expect(await client.readContract({ ...token, functionName: 'decimals' })).toBe(18);
    expect(await client.readContract({ ...token, functionName: 'totalSupply' })).toBe(parseEther('1000000'));
    expect(await client.readContract({ ...token, functionName: 'balanceOf', args: [deployer] })).toBe(
      parseEther('1000000'),
    );
    expect(await client.readContract({ ...token, functionName: 'owner' })).toBe(deployer);
    for (const address of [contracts.MembershipPass, contracts.MemberBadge]) {
      const abi = address === contracts.MembershipPass ? membershipPassAbi : memberBadgeAbi;
      expect(await client.readContract({ address, abi, functionName: 'owner' })).toBe(deployer);
    }
  });

  it('gives the SmartWallet to account #1', async () => {
    const { rpcUrl, contracts } = dev();
    const owner = await publicClientFor(rpcUrl).readContract({
      address: contracts.SmartWallet,
      abi: smartWalletAbi,
      functionName: 'owner',
    });
    expect(owner).toBe(devAccount(1).address);
  });

  it('numbers passes from 1 and skips ids taken by mintTo', async () => {
    const { rpcUrl, contracts } = dev();
    const owner = walletClientFor(rpcUrl, 0);
    const pass = { address: contracts.MembershipPass, abi: membershipPassAbi } as const;
    const member = devAccount(5).address;

    async function mintNext(): Promise<bigint> {
      const { request, result } = await owner.simulateContract({
        ...pass,
        functionName: 'mint',
        args: [member],
      });
      await owner.waitForTransactionReceipt({ hash: await owner.writeContract(request) });
      return result;
    }

    expect(await mintNext()).toBe(1n);
    await owner.waitForTransactionReceipt({
      hash: await owner.writeContract({ ...pass, functionName: 'mintTo', args: [member, 2n] }),
    });
    expect(await mintNext()).toBe(3n);
    expect(await owner.readContract({ ...pass, functionName: 'balanceOf', args: [member] })).toBe(3n);
  });

  it('lets only the owner mint', async () => {
    const { rpcUrl, contracts } = dev();
    const stranger = walletClientFor(rpcUrl, 4);
    await expect(
      stranger.simulateContract({
        address: contracts.CommunityToken,
        abi: communityTokenAbi,
        functionName: 'mint',
        args: [stranger.account.address, 1n],
      }),
    ).rejects.toThrow(/OwnableUnauthorizedAccount/);
  });
});
