import { numberToHex, type PrivateKeyAccount } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { rpcRequest } from './rpc-request.ts';

/** A key nobody else uses (tests share one chain), holding `eth` wei for gas (1 ETH by default). */
export async function freshAccount(rpcUrl: string, eth = 10n ** 18n): Promise<PrivateKeyAccount> {
  const account = privateKeyToAccount(generatePrivateKey());
  if (eth > 0n) await rpcRequest(rpcUrl, 'hardhat_setBalance', [account.address, numberToHex(eth)]);
  return account;
}
