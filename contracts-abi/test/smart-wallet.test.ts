import { encodeFunctionData, hashMessage, parseEther } from 'viem';
import { beforeAll, describe, expect, it } from 'vitest';
import { devAccount } from '../src/dev-chain/index.ts';
import { communityTokenAbi, smartWalletAbi } from '../src/index.ts';
import { publicClientFor, useDevChain, walletClientFor } from './support/use-dev-chain.ts';

const dev = useDevChain();
const ERC1271_MAGIC_VALUE = '0x1626ba7e';
const message = 'Sign in to Coterie\nnonce: 8f1c2a';

describe('SmartWallet (ERC-1271)', () => {
  const firstOwner = devAccount(1);
  const secondOwner = devAccount(2);

  // Tests below run in order and share state: the owner rotates midway.
  let firstOwnerSignature: `0x${string}`;
  beforeAll(async () => {
    firstOwnerSignature = await firstOwner.signMessage({ message });
  });

  function wallet() {
    return { address: dev().contracts.SmartWallet, abi: smartWalletAbi } as const;
  }

  it("accepts its owner's signature through viem's verifyMessage", async () => {
    const client = publicClientFor(dev().rpcUrl);
    expect(
      await client.verifyMessage({ address: wallet().address, message, signature: firstOwnerSignature }),
    ).toBe(true);
    expect(
      await client.readContract({
        ...wallet(),
        functionName: 'isValidSignature',
        args: [hashMessage(message), firstOwnerSignature],
      }),
    ).toBe(ERC1271_MAGIC_VALUE);
  });

  it("rejects another account's signature and malformed signatures without reverting", async () => {
    const client = publicClientFor(dev().rpcUrl);
    const strangerSignature = await secondOwner.signMessage({ message });
    expect(
      await client.verifyMessage({ address: wallet().address, message, signature: strangerSignature }),
    ).toBe(false);
    expect(
      await client.readContract({
        ...wallet(),
        functionName: 'isValidSignature',
        args: [hashMessage(message), '0x1234'],
      }),
    ).toBe('0xffffffff');
  });

  it('refuses setOwner from anyone but the owner', async () => {
    const stranger = walletClientFor(dev().rpcUrl, 2);
    await expect(
      stranger.simulateContract({ ...wallet(), functionName: 'setOwner', args: [stranger.account.address] }),
    ).rejects.toThrow(/NotOwner/);
  });

  it("stops accepting the old owner's signature after setOwner", async () => {
    const { rpcUrl } = dev();
    const owner = walletClientFor(rpcUrl, 1);
    const hash = await owner.writeContract({
      ...wallet(),
      functionName: 'setOwner',
      args: [secondOwner.address],
    });
    expect((await owner.waitForTransactionReceipt({ hash })).status).toBe('success');

    const client = publicClientFor(rpcUrl);
    expect(await client.readContract({ ...wallet(), functionName: 'owner' })).toBe(secondOwner.address);
    expect(
      await client.verifyMessage({ address: wallet().address, message, signature: firstOwnerSignature }),
    ).toBe(false);
    expect(
      await client.verifyMessage({
        address: wallet().address,
        message,
        signature: await secondOwner.signMessage({ message }),
      }),
    ).toBe(true);
  });

  it('executes calls for the (new) owner only', async () => {
    const { rpcUrl, contracts } = dev();
    const token = { address: contracts.CommunityToken, abi: communityTokenAbi } as const;
    const deployer = walletClientFor(rpcUrl, 0);
    await deployer.waitForTransactionReceipt({
      hash: await deployer.writeContract({
        ...token,
        functionName: 'transfer',
        args: [wallet().address, parseEther('100')],
      }),
    });

    const recipient = devAccount(6).address;
    const transfer = encodeFunctionData({
      abi: communityTokenAbi,
      functionName: 'transfer',
      args: [recipient, parseEther('40')],
    });
    await expect(
      walletClientFor(rpcUrl, 1).simulateContract({
        ...wallet(),
        functionName: 'execute',
        args: [token.address, 0n, transfer],
      }),
    ).rejects.toThrow(/NotOwner/);

    const owner = walletClientFor(rpcUrl, 2);
    const hash = await owner.writeContract({
      ...wallet(),
      functionName: 'execute',
      args: [token.address, 0n, transfer],
    });
    expect((await owner.waitForTransactionReceipt({ hash })).status).toBe('success');
    expect(await owner.readContract({ ...token, functionName: 'balanceOf', args: [recipient] })).toBe(
      parseEther('40'),
    );
    expect(await owner.readContract({ ...token, functionName: 'balanceOf', args: [wallet().address] })).toBe(
      parseEther('60'),
    );
  });
});
