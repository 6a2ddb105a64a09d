import type { Address, Hash } from 'viem';
import { createWalletClient, getAddress, publicActions } from 'viem';
import { communityTokenAbi, communityTokenBytecode } from '../generated/CommunityToken.ts';
import { memberBadgeAbi, memberBadgeBytecode } from '../generated/MemberBadge.ts';
import { membershipPassAbi, membershipPassBytecode } from '../generated/MembershipPass.ts';
import { smartWalletAbi, smartWalletBytecode } from '../generated/SmartWallet.ts';
import { devAccount } from './dev-account.ts';
import { devChainDefinition } from './dev-chain-definition.ts';
import { devTransport } from './dev-transport.ts';
import type { DemoContracts } from './types.ts';

/**
 * Deploys the demo contracts from dev account #0; the SmartWallet is owned by account #1 so that
 * ERC-1271 checks exercise an owner different from the deployer.
 */
export async function deployDemoContracts(rpcUrl: string): Promise<DemoContracts> {
  const client = createWalletClient({
    account: devAccount(0),
    chain: devChainDefinition(rpcUrl),
    transport: devTransport(rpcUrl),
    // Hardhat automines, so receipts exist at once; viem's 4 s default poll would only add latency.
    pollingInterval: 50,
  }).extend(publicActions);

  async function addressOf(name: string, hash: Hash): Promise<Address> {
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success' || !receipt.contractAddress) {
      throw new Error(`deploying ${name} failed (tx ${hash}, status ${receipt.status})`);
    }
    return getAddress(receipt.contractAddress);
  }

  // Sequential on purpose: each deploy reads the pending nonce, so parallel sends would collide.
  const CommunityToken = await addressOf(
    'CommunityToken',
    await client.deployContract({ abi: communityTokenAbi, bytecode: communityTokenBytecode }),
  );
  const MembershipPass = await addressOf(
    'MembershipPass',
    await client.deployContract({ abi: membershipPassAbi, bytecode: membershipPassBytecode }),
  );
  const MemberBadge = await addressOf(
    'MemberBadge',
    await client.deployContract({ abi: memberBadgeAbi, bytecode: memberBadgeBytecode }),
  );
  const SmartWallet = await addressOf(
    'SmartWallet',
    await client.deployContract({
      abi: smartWalletAbi,
      bytecode: smartWalletBytecode,
      args: [devAccount(1).address],
    }),
  );

  return { CommunityToken, MembershipPass, MemberBadge, SmartWallet };
}
