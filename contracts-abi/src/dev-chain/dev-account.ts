import type { HDAccount } from 'viem/accounts';
import { mnemonicToAccount } from 'viem/accounts';
import { DEV_MNEMONIC } from './constants.ts';

// Deriving from the mnemonic runs PBKDF2, which is slow enough to notice when tests ask repeatedly.
const cache = new Map<number, HDAccount>();

/** The dev chain's funded account at `index` (0 deploys the demo contracts, 1 owns the SmartWallet). */
export function devAccount(index = 0): HDAccount {
  let account = cache.get(index);
  if (!account) {
    account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index });
    cache.set(index, account);
  }
  return account;
}
