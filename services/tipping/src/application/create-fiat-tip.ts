import type { Tip } from '@coterie/contracts';
import { uuidv7 } from 'uuidv7';
import {
  findTipByIdempotencyKey,
  insertTip,
  toTip,
  updateTip,
} from '../adapters/postgres/tips-repository.ts';
import { checkFiatAmount, platformFee } from '../domain/fiat-amounts.ts';
import {
  CannotTipSelfError,
  CommunityNotFoundError,
  FiatAmountError,
  MemberNotFoundError,
  StripeAccountNotConnectedError,
  StripeNotConfiguredError,
} from '../domain/tipping-errors.ts';
import type { TippingDeps } from '../ports.ts';
import { requireMayTip } from './require-may-tip.ts';

export interface CreateFiatTipInput {
  actorId: string;
  communityId: string;
  to: string;
  amount: { value: string; currency: string };
  message?: string | undefined;
  idempotencyKey: string;
}

/**
 * A fiat tip: a pending tip row, then a Stripe PaymentIntent (destination charge to the
 * community's connected account, platform fee as `application_fee_amount`). The client confirms
 * it with `clientSecret`; the credit happens when `payment_intent.succeeded` arrives. A retry
 * with the same idempotency key finds the same tip and, through Stripe's idempotency key
 * `coterie-tip-<tipId>`, the same PaymentIntent.
 */
export async function createFiatTip(
  deps: TippingDeps,
  input: CreateFiatTipInput,
): Promise<{ tip: Tip; clientSecret: string }> {
  const payments = deps.payments;
  if (!payments) throw new StripeNotConfiguredError();
  if (input.to === input.actorId) throw new CannotTipSelfError();
  const amount = BigInt(input.amount.value);
  const currency = input.amount.currency;
  const problem = checkFiatAmount(amount, currency, deps.config.TIP_FIAT_LIMITS);
  if (problem) {
    throw new FiatAmountError(
      problem.code,
      'min' in problem
        ? { min: problem.min.toString() }
        : 'max' in problem
          ? { max: problem.max.toString() }
          : undefined,
    );
  }
  const community = await deps.communities.get(input.communityId);
  if (!community) throw new CommunityNotFoundError();
  await requireMayTip(deps, community, input.actorId);
  if (input.to !== 'creator' && (await deps.members.wallets(input.to)) === null)
    throw new MemberNotFoundError();
  const destination = await deps.connectedAccounts.destinationFor(input.communityId);
  if (!destination) throw new StripeAccountNotConnectedError();

  const fee = platformFee(amount, deps.config.PLATFORM_FEE_BPS);
  const tip =
    (await insertTip(deps.pool, {
      id: uuidv7(),
      community_id: input.communityId,
      kind: 'tip',
      rail: 'fiat',
      status: 'pending',
      from_member_id: input.actorId,
      message: input.message ?? null,
      to_recipient: input.to,
      currency,
      amount_minor: amount.toString(),
      fee_minor: fee.toString(),
      idempotency_key: input.idempotencyKey,
    })) ?? (await findTipByIdempotencyKey(deps.pool, input.actorId, input.idempotencyKey));
  if (!tip) throw new Error('tip vanished after an idempotent insert');

  // A retry sends the stored amounts: Stripe refuses one idempotency key with other parameters.
  const intent = await payments.create({
    amount: BigInt(tip.amount_minor ?? '0'),
    currency: tip.currency ?? currency,
    applicationFee: BigInt(tip.fee_minor ?? '0'),
    destination,
    idempotencyKey: `coterie-tip-${tip.id}`,
    description: `Tip in community ${tip.community_id}`,
    metadata: {
      coterie_context: 'tipping',
      tip_id: tip.id,
      community_id: tip.community_id,
      from_member_id: tip.from_member_id,
      to: tip.to_recipient ?? input.to,
    },
  });
  if (tip.stripe_payment_intent_id !== intent.id) {
    await updateTip(deps.pool, tip.id, { stripe_payment_intent_id: intent.id });
  }
  return { tip: toTip(tip, []), clientSecret: intent.clientSecret };
}
