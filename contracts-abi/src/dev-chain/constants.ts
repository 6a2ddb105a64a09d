export const DEV_CHAIN_ID = 31337 as const;

/** Hardhat's well-known default mnemonic: its accounts are public and must never hold real funds. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
