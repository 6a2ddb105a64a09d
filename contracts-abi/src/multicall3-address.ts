/** Multicall3's address on nearly every EVM chain; viem's `multicall` looks for it via `chain.contracts`. */
export const MULTICALL3_ADDRESS = '0xcA11bde05977b3631167028862bE2a173976CA11' as const;
