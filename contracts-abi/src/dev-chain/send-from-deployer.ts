import { type Account, createWalletClient, type Hash, publicActions, type TransactionReceipt } from 'viem';
import { devAccount } from './dev-account.ts';
import { devChainDefinition } from './dev-chain-definition.ts';
import { devTransport } from './dev-transport.ts';

export type DevWalletClient = ReturnType<typeof devWalletClient>;

/** A wallet client of `account` on the dev chain, with public actions, polling fast. */
export function devWalletClient(rpcUrl: string, account: Account = devAccount(0)) {
  return createWalletClient({
    account,
    chain: devChainDefinition(rpcUrl),
    transport: devTransport(rpcUrl),
    pollingInterval: 50,
  }).extend(publicActions);
}

/**
 * Sends a transaction from `account` (default #0, the deployer) and waits for a successful
 * receipt. Test files run in parallel on one chain and share #0, so two sends can pick the same
 * nonce: the loser retries with a fresh one.
 */
export async function sendAndWait(
  rpcUrl: string,
  send: (client: DevWalletClient) => Promise<Hash>,
  account: Account = devAccount(0),
): Promise<TransactionReceipt> {
  const client = devWalletClient(rpcUrl, account);
  for (let attempt = 1; ; attempt++) {
    try {
      const hash = await send(client);
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`);
      return receipt;
    } catch (error) {
      if (attempt >= 8 || !/nonce/i.test(String((error as Error).message))) throw error;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}
