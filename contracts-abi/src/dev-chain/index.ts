export { DEV_CHAIN_ID, DEV_MNEMONIC } from './constants.ts';
export { deployDemoContracts } from './deploy-demo-contracts.ts';
export { devAccount } from './dev-account.ts';
export { devChainDefinition } from './dev-chain-definition.ts';
export { devTransport } from './dev-transport.ts';
export { evmMine } from './evm-mine.ts';
export { evmRevert } from './evm-revert.ts';
export { evmSnapshot } from './evm-snapshot.ts';
export { freshAccount } from './fresh-account.ts';
export { installMulticall3 } from './install-multicall3.ts';
export { rpcRequest } from './rpc-request.ts';
export { type DevWalletClient, devWalletClient, sendAndWait } from './send-from-deployer.ts';
export { setupDevChain } from './setup-dev-chain.ts';
export { startDevChain } from './start-dev-chain.ts';
export type {
  DemoContracts,
  DevChain,
  DevChainLogger,
  DevChainSetup,
  StartDevChainOptions,
} from './types.ts';
