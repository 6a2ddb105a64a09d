import { z } from 'zod';
import { addressSchema, idSchema, isoDateSchema, memberDataRequestSchema } from './common.ts';
import { rpcSubject } from './contexts.ts';
import { defineEvent, defineRpc } from './define.ts';
import { baseUnitsSchema, chainIdSchema } from './entitlements.ts';

// ---------- amounts ----------

export const currencySchema = z.string().regex(/^[a-z]{3}$/, 'must be a lower-case ISO 4217 code');

/** Fiat money in integer minor units (`"1500"` = 15.00 USD, `"500"` = ¥500): never floats. */
export const moneySchema = z.object({
  value: z.string().regex(/^[1-9][0-9]{0,11}$/, 'must be a positive integer amount of minor units'),
  currency: currencySchema,
});
export type Money = z.infer<typeof moneySchema>;

/** A token amount in base units; `token` is the ERC-20 contract (EIP-55) or `native`. */
export const tokenAmountSchema = z.object({
  value: baseUnitsSchema,
  chainId: chainIdSchema,
  token: z.union([addressSchema, z.literal('native')]),
  decimals: z.number().int().min(0).max(77),
});
export type TokenAmount = z.infer<typeof tokenAmountSchema>;

export const tipAmountSchema = z.union([moneySchema, tokenAmountSchema]);
export type TipAmount = z.infer<typeof tipAmountSchema>;

/** Who receives: a member id, or `creator` (the community: its Stripe account or treasury wallet). */
export const tipRecipientSchema = z.union([idSchema, z.literal('creator')]);
export type TipRecipient = z.infer<typeof tipRecipientSchema>;

export const txHashSchema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte hash');

// ---------- tips ----------

/**
 * `pending`: fiat awaiting payment, crypto awaiting confirmations. `confirmed`: credited.
 * `rejected`: a crypto claim that did not verify (see `reason`) or was reorganised away.
 * `failed`: the fiat payment failed (a later success still credits). `reversed`: refunded.
 */
export const tipStatusSchema = z.enum(['pending', 'confirmed', 'rejected', 'failed', 'reversed']);
export type TipStatus = z.infer<typeof tipStatusSchema>;

/** Why a crypto tip was rejected. */
export const tipRejectionReasonSchema = z.enum([
  'tx_not_found',
  'tx_failed',
  'wrong_chain',
  'no_transfer',
  'wrong_token_contract',
  'wrong_recipient',
  'not_your_wallet',
  'not_treasury_wallet',
  'below_minimum',
  'already_credited',
  'reorged',
]);
export type TipRejectionReason = z.infer<typeof tipRejectionReasonSchema>;

/** One credited transfer of a tip (a crypto tx may pay several members: one line per Transfer log). */
export const tipLineSchema = z.object({
  to: tipRecipientSchema,
  amount: tipAmountSchema,
  /** The Transfer log's index in the tx; null for a native transfer (the tx value) and for fiat. */
  logIndex: z.number().int().nullable(),
});
export type TipLine = z.infer<typeof tipLineSchema>;

export const tipSchema = z.object({
  id: idSchema,
  communityId: idSchema,
  kind: z.enum(['tip', 'reward']),
  rail: z.enum(['fiat', 'crypto']),
  status: tipStatusSchema,
  reason: z.string().optional(),
  from: idSchema,
  /** The first line's recipient and amount; null while a crypto tx is not yet verified. */
  to: tipRecipientSchema.nullable(),
  amount: tipAmountSchema.nullable(),
  lines: z.array(tipLineSchema),
  message: z.string().nullable(),
  chainId: chainIdSchema.optional(),
  txHash: txHashSchema.optional(),
  /** Fiat rewards: owed to the member until they have a payout method. */
  payout: z.object({ status: z.literal('pending'), reason: z.literal('no_payout_method') }).optional(),
  createdAt: isoDateSchema,
  confirmedAt: isoDateSchema.nullable(),
});
export type Tip = z.infer<typeof tipSchema>;

const messageSchema = z.string().trim().max(500);
const pageRequest = {
  limit: z.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
};

export const leaderboardPeriodSchema = z.enum(['week', 'month', 'all']);

/** An asset of the leaderboard: totals are never converted or mixed across assets. */
export const tipAssetSchema = z.union([
  z.object({ type: z.literal('fiat'), currency: currencySchema }),
  z.object({
    type: z.literal('token'),
    chainId: chainIdSchema,
    token: z.union([addressSchema, z.literal('native')]),
    decimals: z.number().int(),
  }),
]);

const leaderboardRowSchema = z.object({ total: tipAmountSchema, count: z.number().int() });

/** What tipping holds about a member (`GET /v1/me/data`). */
export const tippingMemberDataSchema = z.object({
  /** Tips and rewards the member sent, in every status. */
  sent: z.array(tipSchema),
  /** Tips with a line crediting the member. */
  received: z.array(tipSchema),
  /** Rewards with a line crediting the member (fiat ones may be owed: `payout`). */
  rewards: z.array(tipSchema),
  /** The member's ledger account, per asset (`fiat:usd`, `native:31337`, …), in integer base units. */
  balances: z.array(z.object({ asset: z.string(), value: z.string().regex(/^-?[0-9]+$/) })),
});
export type TippingMemberData = z.infer<typeof tippingMemberDataSchema>;

// ---------- RPC ----------

export const tippingRpc = {
  /** `POST /v1/communities/:c/tips`: a Stripe PaymentIntent (Connect destination charge). */
  createFiatTip: defineRpc({
    subject: rpcSubject('tipping', 'createFiatTip'),
    request: z.object({
      actorId: idSchema,
      communityId: idSchema,
      to: tipRecipientSchema,
      amount: moneySchema,
      message: messageSchema.optional(),
      /** Per request (the gateway forwards `Idempotency-Key` or makes one): a retry returns the same tip. */
      idempotencyKey: z.string().min(1).max(200),
    }),
    response: z.object({ tip: tipSchema, clientSecret: z.string() }),
  }),
  /** `POST /v1/communities/:c/tips/crypto`: the same (chain, tx) from the same member → the same tip. */
  submitCryptoTip: defineRpc({
    subject: rpcSubject('tipping', 'submitCryptoTip'),
    request: z.object({
      actorId: idSchema,
      communityId: idSchema,
      chainId: chainIdSchema,
      txHash: txHashSchema,
      /** Optional: only transfers to this recipient count (default: any member's wallet or the treasury). */
      to: tipRecipientSchema.optional(),
      message: messageSchema.optional(),
    }),
    response: z.object({ tip: tipSchema }),
  }),
  /**
   * An admin/owner rewards a member: fiat (recorded as a pending payout) or a crypto tx sent from
   * the community treasury (verified like a tip).
   */
  rewardMember: defineRpc({
    subject: rpcSubject('tipping', 'rewardMember'),
    request: z.union([
      z.object({
        actorId: idSchema,
        communityId: idSchema,
        to: idSchema,
        amount: moneySchema,
        message: messageSchema.optional(),
        idempotencyKey: z.string().min(1).max(200),
      }),
      z.object({
        actorId: idSchema,
        communityId: idSchema,
        to: idSchema,
        chainId: chainIdSchema,
        txHash: txHashSchema,
        message: messageSchema.optional(),
      }),
    ]),
    response: z.object({ tip: tipSchema }),
  }),
  getTip: defineRpc({
    subject: rpcSubject('tipping', 'getTip'),
    request: z.object({ communityId: idSchema, tipId: idSchema }),
    response: z.object({ tip: tipSchema }),
  }),
  /** The feed: confirmed tips, newest first. */
  listTips: defineRpc({
    subject: rpcSubject('tipping', 'listTips'),
    request: z.object({ communityId: idSchema, ...pageRequest }),
    response: z.object({ items: z.array(tipSchema), nextCursor: z.string().nullable() }),
  }),
  /** Top recipients and tippers per asset since the start of the UTC week (Monday) / month, or ever. */
  leaderboard: defineRpc({
    subject: rpcSubject('tipping', 'leaderboard'),
    request: z.object({
      communityId: idSchema,
      period: leaderboardPeriodSchema.default('all'),
      limit: z.number().int().min(1).max(50).default(10),
    }),
    response: z.object({
      period: leaderboardPeriodSchema,
      since: isoDateSchema.nullable(),
      assets: z.array(
        z.object({
          asset: tipAssetSchema,
          recipients: z.array(leaderboardRowSchema.extend({ to: tipRecipientSchema })),
          tippers: z.array(leaderboardRowSchema.extend({ memberId: idSchema })),
        }),
      ),
    }),
  }),
  /** `GET /v1/me/data`: tips sent and received, rewards, ledger balances. */
  exportMemberData: defineRpc({
    subject: rpcSubject('tipping', 'exportMemberData'),
    request: memberDataRequestSchema,
    response: tippingMemberDataSchema,
  }),
};

// ---------- events ----------

const tipFactBase = {
  tipId: idSchema,
  communityId: idSchema,
  kind: z.enum(['tip', 'reward']),
  rail: z.enum(['fiat', 'crypto']),
  from: idSchema,
  to: tipRecipientSchema,
  /** Gross: what the tipper sent (fiat: before the platform fee). */
  amount: tipAmountSchema,
  /** The ledger asset: `fiat:usd`, `native:31337`, `erc20:31337:0x…`. */
  asset: z.string(),
  /** The ledger transaction that credited this line (one per recipient line). */
  creditId: idSchema,
  chainId: chainIdSchema.optional(),
  txHash: txHashSchema.optional(),
  logIndex: z.number().int().nullable().optional(),
  occurredAt: isoDateSchema,
};

/** A confirmed tip line: one per credited recipient (fiat payment succeeded, crypto confirmed, reward). */
export const tipReceivedV1 = defineEvent({
  type: 'tipping.tip.received',
  version: 1,
  data: z.object({ ...tipFactBase, fee: tipAmountSchema.optional() }),
});

/** A credited line taken back (refund, reorg): a new ledger transaction reversing `creditId`. */
export const tipReversedV1 = defineEvent({
  type: 'tipping.tip.reversed',
  version: 1,
  data: z.object({ ...tipFactBase, reversalId: idSchema, reason: z.enum(['refunded', 'reorged']) }),
});

export const tippingEvents = [tipReceivedV1, tipReversedV1] as const;
