import type { Tip } from '@coterie/contracts';
import { withTransaction } from '@coterie/db';
import { uuidv7 } from 'uuidv7';
import { findTipByIdempotencyKey, insertLines, insertTip } from '../adapters/postgres/tips-repository.ts';
import { checkFiatAmount, currencyDecimals } from '../domain/fiat-amounts.ts';
import { fiatAsset } from '../domain/ledger/assets.ts';
import {
  CannotTipSelfError,
  CommunityNotFoundError,
  FiatAmountError,
  MemberNotFoundError,
  NotCommunityAdminError,
} from '../domain/tipping-errors.ts';
import type { TippingDeps } from '../ports.ts';
import { creditLines } from './credit-lines.ts';
import { getTip } from './queries.ts';
import { submitCryptoTip } from './submit-crypto-tip.ts';

export type RewardMemberInput = {
  actorId: string;
  communityId: string;
  to: string;
  message?: string | undefined;
} & (
  | { amount: { value: string; currency: string }; idempotencyKey: string }
  | { chainId: number; txHash: string }
);

/**
 * An owner/admin rewards a member (`kind: reward`, the admin as sender). Crypto: a tx sent from
 * the community treasury, verified like a tip. Fiat: no money moves now — the ledger books the
 * treasury owing the member and the tip says `payout: {status: pending, reason: no_payout_method}`
 * until members have payout accounts.
 */
export async function rewardMember(deps: TippingDeps, input: RewardMemberInput): Promise<Tip> {
  if (!(await deps.communities.get(input.communityId))) throw new CommunityNotFoundError();
  const role = await deps.communities.roleOf(input.communityId, input.actorId);
  if (role !== 'owner' && role !== 'admin') throw new NotCommunityAdminError();
  if (input.to === input.actorId) throw new CannotTipSelfError();
  if ((await deps.members.wallets(input.to)) === null) throw new MemberNotFoundError();

  if ('txHash' in input) {
    return submitCryptoTip(
      deps,
      {
        actorId: input.actorId,
        communityId: input.communityId,
        chainId: input.chainId,
        txHash: input.txHash,
        to: input.to,
        message: input.message,
      },
      'reward',
    );
  }
  const amount = BigInt(input.amount.value);
  const currency = input.amount.currency;
  const problem = checkFiatAmount(amount, currency, deps.config.TIP_FIAT_LIMITS);
  if (problem) throw new FiatAmountError(problem.code);
  const id = await withTransaction(deps.pool, async (client) => {
    const tip = await insertTip(client, {
      id: uuidv7(),
      community_id: input.communityId,
      kind: 'reward',
      rail: 'fiat',
      status: 'pending',
      from_member_id: input.actorId,
      message: input.message ?? null,
      to_recipient: input.to,
      currency,
      amount_minor: amount.toString(),
      fee_minor: '0',
      idempotency_key: input.idempotencyKey,
      payout_status: 'pending',
    });
    if (!tip) return (await findTipByIdempotencyKey(client, input.actorId, input.idempotencyKey))?.id;
    const lines = await insertLines(client, tip.id, [
      {
        line_no: 0,
        to_recipient: input.to,
        asset: fiatAsset(currency),
        decimals: currencyDecimals(currency),
        amount: amount.toString(),
        chain_id: null,
        tx_hash: null,
        log_index: null,
        from_address: null,
        to_address: null,
      },
    ]);
    await creditLines(client, tip, lines, deps.clock.now());
    return tip.id;
  });
  deps.wakeRelay();
  return getTip(deps, { communityId: input.communityId, tipId: id as string });
}
