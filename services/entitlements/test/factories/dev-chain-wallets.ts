import { communityTokenAbi, memberBadgeAbi, membershipPassAbi } from '@coterie/contracts-abi';
import { devAccount, devChainDefinition, devTransport, rpcRequest } from '@coterie/contracts-abi/dev-chain';
import { type Account, type Address, createWalletClient, type Hash, numberToHex, publicActions } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';

export const CTR = 10n ** 18n;

/** A fresh wallet nobody else uses (tests run in parallel on one chain), with ETH for gas. */
export async function freshWallet(rpcUrl: string): Promise<Account> {
  const account = privateKeyToAccount(generatePrivateKey());
  await rpcRequest(rpcUrl, 'hardhat_setBalance', [account.address, numberToHex(10n ** 18n)]);
  return account;
}

function walletClient(rpcUrl: string, account: Account) {
  return createWalletClient({
    account,
    chain: devChainDefinition(rpcUrl),
    transport: devTransport(rpcUrl),
    pollingInterval: 50,
  }).extend(publicActions);
}

/**
 * Account #0 owns the demo contracts and is shared by every test file running in parallel, so
 * two sends can pick the same nonce; the loser retries with a fresh one.
 */
async function sendFromDeployer(
  rpcUrl: string,
  send: (client: ReturnType<typeof walletClient>) => Promise<Hash>,
) {
  const client = walletClient(rpcUrl, devAccount(0));
  for (let attempt = 1; ; attempt++) {
    try {
      const hash = await send(client);
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`);
      return;
    } catch (error) {
      if (attempt >= 8 || !/nonce/i.test(String((error as Error).message))) throw error;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

export async function sendCommunityToken(rpcUrl: string, token: string, to: Address, amount: bigint) {
  await sendFromDeployer(rpcUrl, (c) =>
    c.writeContract({
      address: token as Address,
      abi: communityTokenAbi,
      functionName: 'transfer',
      args: [to, amount],
    }),
  );
}

export async function mintPassTo(rpcUrl: string, pass: string, to: Address, id: bigint) {
  await sendFromDeployer(rpcUrl, (c) =>
    c.writeContract({
      address: pass as Address,
      abi: membershipPassAbi,
      functionName: 'mintTo',
      args: [to, id],
    }),
  );
}

export async function mintBadge(rpcUrl: string, badge: string, to: Address, id: bigint, amount: bigint) {
  await sendFromDeployer(rpcUrl, (c) =>
    c.writeContract({
      address: badge as Address,
      abi: memberBadgeAbi,
      functionName: 'mint',
      args: [to, id, amount],
    }),
  );
}

/** The member moves their tokens away themselves. */
export async function sendAway(rpcUrl: string, token: string, from: Account, amount: bigint) {
  const client = walletClient(rpcUrl, from);
  const hash = await client.writeContract({
    address: token as Address,
    abi: communityTokenAbi,
    functionName: 'transfer',
    args: [devAccount(0).address, amount],
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`);
}
