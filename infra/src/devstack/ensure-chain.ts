import { type DemoContracts, setupDevChain } from '@coterie/contracts-abi/dev-chain';

export interface ProvidedChains {
  /** The `CHAINS` value services read. */
  chainsJson: string;
  /** Present when we started the dev chain and deployed the demo contracts. */
  demo?: { rpcUrl: string; contracts: DemoContracts };
  stop(): Promise<void>;
}

/** `CHAINS` when given; otherwise a local Hardhat node (chainId 31337) with the demo contracts. */
export async function ensureChain(env = process.env): Promise<ProvidedChains> {
  if (env.CHAINS) return { chainsJson: env.CHAINS, stop: async () => {} };
  const chain = await setupDevChain({});
  const chainsJson = JSON.stringify([
    { chainId: chain.chainId, name: 'Coterie dev chain', rpcUrl: chain.rpcUrl, confirmations: 1 },
  ]);
  return { chainsJson, demo: { rpcUrl: chain.rpcUrl, contracts: chain.contracts }, stop: () => chain.stop() };
}
