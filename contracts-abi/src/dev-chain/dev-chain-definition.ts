import type { Chain } from 'viem';
import { defineChain } from 'viem';
import { MULTICALL3_ADDRESS } from '../multicall3-address.ts';
import { DEV_CHAIN_ID } from './constants.ts';

/** A viem chain for a running dev chain; `contracts.multicall3` lets `multicall` batch reads. */
export function devChainDefinition(rpcUrl: string): Chain {
  return defineChain({
    id: DEV_CHAIN_ID,
    name: 'Coterie Dev Chain',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    contracts: { multicall3: { address: MULTICALL3_ADDRESS } },
    testnet: true,
  });
}
