import { multicall3DeployedBytecode } from '../generated/Multicall3.ts';
import { MULTICALL3_ADDRESS } from '../multicall3-address.ts';
import { rpcRequest } from './rpc-request.ts';

/** Plants Multicall3's runtime code at its canonical address (Hardhat, unlike Anvil, has none). */
export async function installMulticall3(rpcUrl: string): Promise<void> {
  await rpcRequest(rpcUrl, 'hardhat_setCode', [MULTICALL3_ADDRESS, multicall3DeployedBytecode]);
}
