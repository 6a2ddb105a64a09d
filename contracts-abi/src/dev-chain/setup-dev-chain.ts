import { performance } from 'node:perf_hooks';
import { deployDemoContracts } from './deploy-demo-contracts.ts';
import { installMulticall3 } from './install-multicall3.ts';
import { startDevChain } from './start-dev-chain.ts';
import type { DevChainSetup, StartDevChainOptions } from './types.ts';

/** Starts a dev chain, plants Multicall3 and deploys the demo contracts. */
export async function setupDevChain(opts: StartDevChainOptions = {}): Promise<DevChainSetup> {
  const chain = await startDevChain(opts);
  try {
    const started = performance.now();
    await installMulticall3(chain.rpcUrl);
    const contracts = await deployDemoContracts(chain.rpcUrl);
    opts.logger?.info(
      `Multicall3 installed and demo contracts deployed in ${Math.round(performance.now() - started)} ms`,
    );
    return { ...chain, contracts };
  } catch (error) {
    // A half-set-up chain is useless to the caller, who has no handle to stop it.
    await chain.stop();
    throw error;
  }
}
