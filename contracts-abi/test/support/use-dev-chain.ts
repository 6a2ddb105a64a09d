import type { PublicClient, Transport } from 'viem';
import { createPublicClient, createWalletClient, publicActions } from 'viem';
import { afterAll, beforeAll } from 'vitest';
import type { DevChainSetup } from '../../src/dev-chain/index.ts';
import { devAccount, devChainDefinition, devTransport, setupDevChain } from '../../src/dev-chain/index.ts';

// Generous: two test files may boot Hardhat at once on a 2-core CI machine.
const SETUP_TIMEOUT_MS = 60_000;

/** Boots one dev chain per test file; call at the top level of a `describe` or the file. */
export function useDevChain(): () => DevChainSetup {
  let dev: DevChainSetup | undefined;
  beforeAll(async () => {
    dev = await setupDevChain();
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await dev?.stop();
  }, 15_000);
  return () => {
    if (!dev) throw new Error('dev chain is not running: useDevChain() must be called at the top level');
    return dev;
  };
}

// cacheTime 0: viem otherwise serves getBlockNumber from a cache, hiding blocks mined in between.
export function publicClientFor(rpcUrl: string, transport: Transport = devTransport(rpcUrl)): PublicClient {
  return createPublicClient({
    chain: devChainDefinition(rpcUrl),
    transport,
    pollingInterval: 50,
    cacheTime: 0,
  });
}

/** A wallet client for dev account `index` that can also wait for its own receipts. */
export function walletClientFor(rpcUrl: string, index: number) {
  return createWalletClient({
    account: devAccount(index),
    chain: devChainDefinition(rpcUrl),
    transport: devTransport(rpcUrl),
    pollingInterval: 50,
    cacheTime: 0,
  }).extend(publicActions);
}
