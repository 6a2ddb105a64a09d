import { Type } from '@sinclair/typebox';

/** TypeBox shapes of the "Tips" part of API.md; tipping's contract (zod) is the authority. */

const IsoDate = Type.String({ format: 'date-time' });
const NullableString = Type.Union([Type.String(), Type.Null()]);

/** Fiat money: integer minor units as a decimal string, never floats. */
export const MoneySchema = Type.Object(
  {
    value: Type.String({ pattern: '^[1-9][0-9]{0,11}$', description: 'integer minor units, e.g. "1500"' }),
    currency: Type.String({ pattern: '^[a-z]{3}$', description: 'lower-case ISO 4217' }),
  },
  { title: 'Money' },
);

export const TokenAmountSchema = Type.Object(
  {
    value: Type.String({ description: 'base units' }),
    chainId: Type.Integer(),
    token: Type.String({ description: 'EIP-55 contract address or "native"' }),
    decimals: Type.Integer(),
  },
  { title: 'TokenAmount' },
);

/** Either shape: a token amount has `chainId`/`token`, money has `currency`. */
const TipAmountSchema = Type.Union([TokenAmountSchema, MoneySchema]);

/** A member id, or `creator` (the community's Stripe account or treasury wallet). */
export const TipRecipientSchema = Type.Union([Type.String({ format: 'uuid' }), Type.Literal('creator')]);

export const TxHashSchema = Type.String({ pattern: '^0x[0-9a-fA-F]{64}$' });
export const TipMessageSchema = Type.String({ maxLength: 500 });

export const TipSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    communityId: Type.String({ format: 'uuid' }),
    kind: Type.Union([Type.Literal('tip'), Type.Literal('reward')]),
    rail: Type.Union([Type.Literal('fiat'), Type.Literal('crypto')]),
    status: Type.String({ description: 'pending | confirmed | rejected | failed | reversed' }),
    reason: Type.Optional(Type.String({ description: 'why a crypto tip was rejected' })),
    from: Type.String({ format: 'uuid' }),
    to: Type.Union([TipRecipientSchema, Type.Null()], { description: 'null until a crypto tx is verified' }),
    amount: Type.Union([TipAmountSchema, Type.Null()]),
    lines: Type.Array(
      Type.Object({
        to: TipRecipientSchema,
        amount: TipAmountSchema,
        logIndex: Type.Union([Type.Integer(), Type.Null()]),
      }),
      { description: 'one per credited transfer (a tx may pay several members)' },
    ),
    message: NullableString,
    chainId: Type.Optional(Type.Integer()),
    txHash: Type.Optional(Type.String()),
    payout: Type.Optional(Type.Object({ status: Type.String(), reason: Type.String() })),
    createdAt: IsoDate,
    confirmedAt: Type.Union([IsoDate, Type.Null()]),
  },
  { title: 'Tip' },
);

const LeaderboardRow = {
  total: TipAmountSchema,
  count: Type.Integer(),
};

export const LeaderboardSchema = Type.Object(
  {
    period: Type.String(),
    since: Type.Union([IsoDate, Type.Null()]),
    assets: Type.Array(
      Type.Object({
        asset: Type.Object(
          {
            type: Type.String({ description: 'fiat | token' }),
            currency: Type.Optional(Type.String()),
            chainId: Type.Optional(Type.Integer()),
            token: Type.Optional(Type.String()),
            decimals: Type.Optional(Type.Integer()),
          },
          { description: 'totals are per asset, never converted or mixed' },
        ),
        recipients: Type.Array(Type.Object({ to: TipRecipientSchema, ...LeaderboardRow })),
        tippers: Type.Array(Type.Object({ memberId: Type.String(), ...LeaderboardRow })),
      }),
    ),
  },
  { title: 'TipLeaderboard' },
);
