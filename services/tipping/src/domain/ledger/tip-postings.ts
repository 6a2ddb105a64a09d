import { accounts, recipientAccount } from './accounts.ts';
import { type AssetKey, fiatAsset, tokenAsset } from './assets.ts';
import { assertBalanced, type Entry } from './ledger.ts';

/**
 * A fiat tip paid through Stripe: the gross comes in from Stripe; the recipient is owed the
 * gross less the platform fee, the platform keeps the fee. Minor units throughout.
 */
export function fiatTipEntries(input: {
  communityId: string;
  to: string;
  currency: string;
  amount: bigint;
  fee: bigint;
}): Entry[] {
  const asset = fiatAsset(input.currency);
  if (input.amount <= 0n || input.fee < 0n || input.fee >= input.amount) {
    throw new Error(`bad fiat tip amounts: ${input.amount} with fee ${input.fee}`);
  }
  const entries: Entry[] = [
    { account: accounts.stripe(), asset, amount: -input.amount },
    { account: recipientAccount(input.communityId, input.to), asset, amount: input.amount - input.fee },
  ];
  if (input.fee > 0n) entries.push({ account: accounts.platformFees(), asset, amount: input.fee });
  assertBalanced(entries);
  return entries;
}

/** A confirmed on-chain transfer: it arrived from the chain into the recipient's account (no fee). */
export function cryptoTipEntries(input: {
  communityId: string;
  to: string;
  chainId: number;
  token: string;
  amount: bigint;
}): Entry[] {
  if (input.amount <= 0n) throw new Error(`bad token amount ${input.amount}`);
  const asset = tokenAsset(input.chainId, input.token);
  const entries: Entry[] = [
    { account: accounts.chain(input.chainId), asset, amount: -input.amount },
    { account: recipientAccount(input.communityId, input.to), asset, amount: input.amount },
  ];
  assertBalanced(entries);
  return entries;
}

/** An admin reward: the community treasury owes (fiat) or paid (crypto) the member. */
export function rewardEntries(input: {
  communityId: string;
  memberId: string;
  asset: AssetKey;
  amount: bigint;
}): Entry[] {
  if (input.amount <= 0n) throw new Error(`bad reward amount ${input.amount}`);
  const entries: Entry[] = [
    { account: accounts.treasury(input.communityId), asset: input.asset, amount: -input.amount },
    { account: accounts.member(input.memberId), asset: input.asset, amount: input.amount },
  ];
  assertBalanced(entries);
  return entries;
}
