import { parseEther } from 'viem';
import { describe, expect, it } from 'vitest';
import { devAccount, evmMine, evmRevert, evmSnapshot } from '../src/dev-chain/index.ts';
import { communityTokenAbi } from '../src/index.ts';
import { publicClientFor, useDevChain, walletClientFor } from './support/use-dev-chain.ts';

const dev = useDevChain();

describe('evm_snapshot / evm_revert / mining helpers', () => {
  it('undoes a token transfer', async () => {
    const { rpcUrl, contracts } = dev();
    const token = { address: contracts.CommunityToken, abi: communityTokenAbi } as const;
    const client = publicClientFor(rpcUrl);
    const sender = walletClientFor(rpcUrl, 0);
    const recipient = devAccount(7).address;
    const blockBefore = await client.getBlockNumber();

    const snapshot = await evmSnapshot(rpcUrl);
    const hash = await sender.writeContract({
      ...token,
      functionName: 'transfer',
      args: [recipient, parseEther('500')],
    });
    await sender.waitForTransactionReceipt({ hash });
    expect(await client.readContract({ ...token, functionName: 'balanceOf', args: [recipient] })).toBe(
      parseEther('500'),
    );

    await evmRevert(rpcUrl, snapshot);
    expect(await client.readContract({ ...token, functionName: 'balanceOf', args: [recipient] })).toBe(0n);
    expect(await client.getBlockNumber()).toBe(blockBefore);
    expect(await client.getTransactionReceipt({ hash }).catch(() => null)).toBeNull();
  });

  it('refuses to reuse a snapshot id', async () => {
    const { rpcUrl } = dev();
    const snapshot = await evmSnapshot(rpcUrl);
    await evmRevert(rpcUrl, snapshot);
    await expect(evmRevert(rpcUrl, snapshot)).rejects.toThrow(/unknown or was already used/);
  });

  it('mines blocks on demand', async () => {
    const { rpcUrl } = dev();
    const client = publicClientFor(rpcUrl);
    const before = await client.getBlockNumber();
    await evmMine(rpcUrl);
    expect(await client.getBlockNumber()).toBe(before + 1n);
    await evmMine(rpcUrl, 25);
    expect(await client.getBlockNumber()).toBe(before + 26n);
  });
});
